"""Stable keys: derived from content and identity, never from ingest order.

The same inputs give the same keys in any order, on any machine, after any `--rebuild`,
so a saved 项目详情 link keeps pointing at the same project.

- `file_id`   : the file's content (SHA-256). Same bytes, same key, wherever they lie.
- `report_id` : one form *row*: the file's content + the form's position in it. A form
                printed in a PDF and in its text extraction is two rows (two report_ids).
- `form_key`  : the *form* itself, shared by all its copies: (year, project code) where the
                code is printed, else (year, 主管部门, 实施单位, 项目名称), each normalised.
                Links to 项目详情 use it; it resolves to whichever copy is primary now.
- `name_key`  : always the (year, 主管部门, 实施单位, 项目名称) identity, so a link made before a
                project code was parsed still finds the form after the code is.

Keys are the first 53 bits of a SHA-256: positive integers a browser holds exactly (plot
`customdata`, JSON and query parameters go through JavaScript doubles, which round larger
ones), the same in every Python and every DuckDB. The chance that any two of n rows collide
is n²/2^54: 5.6e-7 at 100,000 forms, 5.6e-5 at a million; a collision is refused by the
primary key (that load fails with an error, nothing is mixed up).
A form without an identity (no year, 项目名称 or 主管部门) is keyed by its row: it is never
merged with another.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

KEYS_VERSION = "2"  # bump when a derivation below changes: stored keys must then be migrated
KEY_BITS = 53  # JavaScript's Number.MAX_SAFE_INTEGER is 2^53 - 1
_MASK = (1 << KEY_BITS) - 1
_SPACE = re.compile(r"\s+")


def key_hash(*parts: object) -> int:
    """A positive KEY_BITS-bit integer from the parts (type-tagged, unambiguous joining)."""
    material = "\x1f".join("\x00" if p is None else str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(material.encode("utf-8")).digest()[:8], "big") & _MASK


def norm(text: str | None) -> str:
    """Identity text: NFKC (full-width forms, Kangxi radicals such as ⽬ → 目), no whitespace
    (cells wrap differently in a PDF and its extraction), case-folded (codes)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


def file_key(sha256: str | None, path: str) -> int:
    """A file by its content; a file that could not even be hashed, by its path."""
    return key_hash("file", sha256) if sha256 else key_hash("file-path", path)


def report_key(sha256: str | None, path: str, form_index: int) -> int:
    """One form row: the file's content and the form's position in the file."""
    return key_hash("report", sha256 or f"path:{path}", form_index)


def name_identity(year: int | None, department: str | None, unit: str | None,
                  project_name: str | None) -> tuple[object, ...] | None:
    if year is None or not norm(project_name) or not norm(department):
        return None
    return ("name", int(year), norm(department), norm(unit), norm(project_name))


def form_identity(year: int | None, department: str | None, unit: str | None, project_name: str | None,
                  project_code: str | None) -> tuple[object, ...] | None:
    """(year, code) where the code is printed (a multi-year project keeps its code, so the
    year is part of the identity); else the names; None when the form cannot be identified."""
    if year is not None and norm(project_code):
        return ("code", int(year), norm(project_code))
    return name_identity(year, department, unit, project_name)


def form_keys(row_key: int, year: int | None, department: str | None, unit: str | None,
              project_name: str | None, project_code: str | None) -> tuple[int, int]:
    """(form_key, name_key) of a form row; both fall back to the row's own key."""
    ident = form_identity(year, department, unit, project_name, project_code)
    name = name_identity(year, department, unit, project_name)
    return (key_hash(*ident) if ident else row_key), (key_hash(*name) if name else row_key)
