"""Generators of the template families (issue 7): the golden forms re-laid in each family's
layout. spec.py (the families as data), truth.py (what a family prints for a golden record),
grid.py (the ruled table), render.py (ReportLab; .xlsx printed by LibreOffice), build.py
(`python -m tests.synth.families.build`), score.py (forms exact and fields right per family)."""
