"""Where each page lives in the site, and relative links between pages (file:// needs relative URLs)."""

from __future__ import annotations

import hashlib
import posixpath
from urllib.parse import quote

INDEX, SEARCH = "index.html", "search.html"
STATIC = "static"


def dept_slug(department: str) -> str:
    """A stable, file-system-safe folder name for a 主管部门 (independent of the other departments)."""
    return "d" + hashlib.sha1(department.encode("utf-8")).hexdigest()[:10]


def year_page(year: int) -> str:
    return f"year/{int(year)}.html"


def dept_page(department: str, year: int | None = None) -> str:
    return f"dept/{dept_slug(department)}/{'index' if year is None else int(year)}.html"


def project_page(year: object, report_id: int) -> str:
    return f"project/{_year_dir(year)}/{int(report_id)}.html"


def project_image(year: object, report_id: int, page: int) -> str:
    return f"project/{_year_dir(year)}/{int(report_id)}-p{int(page)}.png"


def csv_path(page: str, file_name: str) -> str:
    """CSV files sit in a `csv/` folder next to the page that offers them, one folder per page."""
    stem = posixpath.splitext(posixpath.basename(page))[0]
    return posixpath.join(posixpath.dirname(page), "csv", stem, file_name)


def _year_dir(year: object) -> str:
    try:
        return str(int(year))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "unknown"


def rel(from_page: str, to_path: str) -> str:
    """The URL of `to_path` as seen from `from_page` (both relative to the site root), percent-encoded.

    posixpath.relpath on plain site paths (no `.`, `..` or `//`), without its getcwd() per call."""
    here = [p for p in posixpath.dirname(from_page).split("/") if p]
    there = [p for p in to_path.split("/") if p]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    return quote("/".join(parts) or ".")
