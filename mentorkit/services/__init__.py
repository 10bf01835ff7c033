"""The services: one module per thing a coordinator does, each reading cycles, people and groups
through :mod:`mentorkit.services.lookup`. The command line calls them and renders what they
return; so can a script or another front end."""
