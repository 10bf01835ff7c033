"""Views: what one audience may see, and the text every output is made of.

:mod:`mentorkit.views.audience` holds the types an output is built from (a :class:`Viewer`
made for one audience, and the :class:`PersonView` it makes); :mod:`mentorkit.views.formats`
turns rows of plain values into JSON and CSV; :mod:`mentorkit.views.html` and
:mod:`mentorkit.views.charts` draw the report.
"""
