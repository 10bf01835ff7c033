"""The participants' own page (``mentorkit serve``): a small web application beside the
command line. Like the command line it imports only services and views, and it is loaded
only when ``serve`` runs, so the command line starts without the web stack."""
