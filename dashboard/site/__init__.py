"""`jixiao site`: the dashboard's views as a static, self-contained HTML site (no server, no network).

build.py orchestrates (temporary folder, marker, swap, progress); overview.py and projects.py
turn dashboard.data queries into page contexts; render.py holds the Jinja environment,
tables, figures and file writing; paths.py the URL scheme. Nothing here imports Streamlit.
"""
