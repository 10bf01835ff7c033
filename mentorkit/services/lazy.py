"""The kernel's modules-on-first-use (:mod:`mentorkit.kernel.lazy`), for the command line, which
stands on the services and views only: ``programs = lazy("mentorkit.services.programs")``."""

from mentorkit.kernel.lazy import lazy

__all__ = ["lazy"]
