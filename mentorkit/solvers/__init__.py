"""The solvers: pure functions over arrays and plain records (assignment, min-cost flow,
stable matching, triads, circles, scoring). No database, no plugin registry: a matcher
(:mod:`mentorkit.builtin.matchers`) hands them what to solve."""
