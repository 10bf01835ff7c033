"""mentorkit-example-pods: pods of one faculty member, two residents and one student, the
worked example of mentorkit's docs/plugins.md. The hook is in :mod:`.pods`."""

from mentorkit_example_pods.pods import register_matchers

__all__ = ["register_matchers"]
