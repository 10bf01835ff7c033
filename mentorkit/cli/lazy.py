"""Services and views loaded on first use, so that ``--help`` (which needs only the commands
themselves) starts without them: ``programs = lazy("mentorkit.services.programs")`` stands for
the module and imports it when an attribute is first looked up through it (the kernel's proxy,
:mod:`mentorkit.kernel.lazy`). ``tests/test_architecture.py`` reads these names as the imports
they are."""

from mentorkit.services.lazy import lazy

__all__ = ["lazy"]
