"""Survey tools' own exports, read as they come (``read.read_sheet``): one module per tool,
each returning a ``model.Sheet``, which enrollment, bulk imports and ``programs map`` read."""

# --format's names, in the order a file is tried against them ("csv": none of the others).
# Here, with no import, so the command line's options know them without loading a reader.
FORMATS = ("qualtrics", "surveymonkey", "redcap", "ms-forms", "google-forms", "csv")
