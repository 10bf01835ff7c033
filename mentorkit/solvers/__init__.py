"""The solvers: pure functions over arrays and plain records (assignment, min-cost flow,
stable matching, tripartite groups, partitions into groups, selection, scoring). No database,
no plugin registry: a matcher, the core's or a plugin's, hands them what to solve. They are a
library plugins call (``from mentorkit.solvers import assignment``)."""
