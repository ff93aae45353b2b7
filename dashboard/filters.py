"""Global filter state and its query-string form.

The sidebar filters (年度, 主管部门, 实施单位, 评分等级) live in the URL so that a copied
link reopens the same view: `?year=2024&dept=上海市科学技术协会&grade=优`. Repeated keys
hold several values. Everything here is pure; app.py does the Streamlit side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace

from dashboard.labels import ALL_GRADES

# Filters field -> query-string key.
PARAM_KEYS: dict[str, str] = {"years": "year", "departments": "dept", "units": "unit", "grades": "grade"}
PROJECT_KEY = "project"


@dataclass(frozen=True, slots=True)
class Filters:
    """An empty tuple means "no restriction" for that field."""

    years: tuple[int, ...] = ()
    departments: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def _dedupe(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        v = v.strip()
        if v and v not in out:
            out.append(v)
    return out


def _ints(values: Iterable[str]) -> tuple[int, ...]:
    return tuple(sorted({int(v) for v in _dedupe(values) if v.isdigit() and len(v) == 4}))


Getter = Callable[[str], list[str]]


def _getter(params: Mapping[str, str | list[str]] | Getter) -> Getter:
    if callable(params):
        return params

    def get_all(key: str) -> list[str]:
        value = params.get(key, [])
        return [value] if isinstance(value, str) else list(value)

    return get_all


def from_params(params: Mapping[str, str | list[str]] | Getter) -> Filters:
    """Read filters from query parameters; malformed values (a year "abc", grade "A") are dropped.

    `params` is a mapping of key -> value(s), or a `get_all(key) -> list[str]` function
    such as `st.query_params.get_all`.
    """
    get_all = _getter(params)
    return Filters(
        years=_ints(get_all(PARAM_KEYS["years"])),
        departments=tuple(_dedupe(get_all(PARAM_KEYS["departments"]))),
        units=tuple(_dedupe(get_all(PARAM_KEYS["units"]))),
        grades=tuple(g for g in ALL_GRADES if g in _dedupe(get_all(PARAM_KEYS["grades"]))),
    )


def to_params(f: Filters) -> dict[str, list[str]]:
    """The query parameters for `f`; empty fields are left out to keep links short."""
    out: dict[str, list[str]] = {}
    for field, key in PARAM_KEYS.items():
        values = getattr(f, field)
        if values:
            out[key] = [str(v) for v in values]
    return out


def project_from_params(params: Mapping[str, str | list[str]] | Getter) -> int | None:
    values = _getter(params)(PROJECT_KEY)
    value = values[-1].strip() if values else ""
    return int(value) if value.isdigit() else None


def restrict(f: Filters, years: Iterable[int], departments: Iterable[str]) -> Filters:
    """Drop values the database does not know (e.g. a stale link), so widgets can show the rest."""
    known_years, known_depts = set(years), set(departments)
    return replace(f, years=tuple(y for y in f.years if y in known_years),
                   departments=tuple(d for d in f.departments if d in known_depts))


def describe(f: Filters, *, empty: str = "全部") -> list[str]:
    """Short parts naming the slice, for captions and file names: ["上海市科学技术协会", "2024"]."""
    parts: list[str] = []
    if len(f.departments) == 1:
        parts.append(f.departments[0])
    elif f.departments:
        parts.append(f"{len(f.departments)}个部门")
    if len(f.units) == 1:
        parts.append(f.units[0])
    elif f.units:
        parts.append(f"{len(f.units)}个单位")
    if f.years:
        ys = sorted(f.years)
        contiguous = ys == list(range(ys[0], ys[-1] + 1))
        parts.append(str(ys[0]) if len(ys) == 1 else (f"{ys[0]}-{ys[-1]}" if contiguous else "+".join(map(str, ys))))
    if f.grades:
        parts.append("".join(f.grades))
    return parts or [empty]
