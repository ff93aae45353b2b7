"""Data access: every SQL query of the dashboard, parameterised, returning pandas DataFrames.

No Streamlit here; the pages call these through a cache keyed on the database file.
"""
