"""The page's stylesheet: readable tables, a phone layout and a print layout.

Injected once per run by app.py. Streamlit's elements are addressed by their data-testid,
the only stable names its front end offers.
"""

from __future__ import annotations

CSS = """
<style>
/* Our HTML tables: long texts wrap, the table scrolls sideways in its own box. */
.jx-scroll { overflow-x: auto; max-width: 100%; margin-bottom: 0.5rem; }
table.jx-table { border-collapse: collapse; width: 100%; font-size: 0.88rem; line-height: 1.45; }
table.jx-table caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
table.jx-table th, table.jx-table td { border-bottom: 1px solid #e3e8ee; padding: 0.3rem 0.5rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
table.jx-table th { background: #f2f5f8; font-weight: 600; white-space: nowrap; }
table.jx-table td.num { text-align: right; white-space: nowrap; }
table.jx-table td.long { min-width: 10rem; }
table.jx-form { max-width: none; }
.jx-print-only { display: none; }
/* Streamlit's main menu is English and cannot be translated: hidden (printing has its own button). */
[data-testid="stMainMenu"], [data-testid="stToolbarActions"] { display: none !important; }
[data-testid="stMain"] { overflow-x: hidden; }
[data-testid="stMetricValue"] { font-size: 1.6rem; }

/* Phone: headline figures two per row; tables keep their own scroll box. */
@media (max-width: 640px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-wrap: wrap !important; flex-direction: row !important; gap: 0.5rem !important; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.5rem) !important; width: calc(50% - 0.5rem) !important;
    min-width: calc(50% - 0.5rem) !important; }
  [data-testid="stMetricValue"] { font-size: 1.25rem; }
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; }
}

/* Print (the browser's print and the server-side PDF): no sidebar, no controls, full width. */
@media print {
  @page { size: A4; margin: 12mm 10mm; }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stDownloadButton"], [data-testid="stElementToolbar"],
  [data-testid="stDataFrame"], [data-testid="stButton"], [data-testid="stTextInput"],
  [data-testid="stMultiSelect"], [data-testid="stSelectbox"], [data-testid="stSlider"], [data-testid="stRadio"],
  [data-testid="stButtonGroup"], [data-testid="stPagination"], [data-testid="stSkipToContent"], .jx-screen-only,
  .modebar-container, [data-testid="stExpander"]:not(:has(details[open])) { display: none !important; }
  .jx-print-only { display: block !important; }
  [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stMainBlockContainer"] {
    width: 100% !important; max-width: 100% !important; margin: 0 !important; padding: 0 !important;
    overflow: visible !important; position: static !important; }
  [data-testid="stHorizontalBlock"] { flex-direction: column !important; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-direction: row !important; flex-wrap: wrap !important; }
  [data-testid="stColumn"] { width: 100% !important; flex: 1 1 auto !important; }
  h2, h3, [data-testid="stHeading"] { break-after: avoid; }
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], table.jx-table tr { break-inside: avoid; }
  .jx-scroll { overflow: visible !important; }
  table.jx-table { font-size: 9pt; }
}
</style>
"""
