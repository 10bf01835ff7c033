"""The core's eligibility rules, which a program composes in its TOML so it needs no code of
its own: the sign-up deadline (:mod:`.deadline`), an answer among allowed values or within
bounds (:mod:`.values`: ``field-in``, ``number-between``), and questions that must be
answered (:mod:`.answers`: ``answered-yes``, ``answered``). The rules on an answer may apply to
some roles only (``roles``) and name the field and the value in their reasons, unless the
program gives its own ``reason``; the core hides a reason that rests on a sensitive answer from
an audience that may not see it.
"""
