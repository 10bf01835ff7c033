"""`python -m mentorkit` runs the command line, as the `mentorkit` script does."""

from mentorkit.cli import main

main()
