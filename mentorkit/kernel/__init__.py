"""The kernel: the hook specs, plugin loading, the component registry, the concern base classes
and the plain values components work on. Everything else in mentorkit stands on it; it stands
only on the program file layer (:mod:`mentorkit.config`)."""
