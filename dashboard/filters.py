"""Global filter state and its query-string form.

The sidebar filters (年度, 主管部门, 实施单位, 评分等级, 表格类型) live in the URL so that a
copied link reopens the same view: `?year=2024&dept=上海市科学技术协会&grade=优&kind=项目支出`.
Repeated keys hold several values. Everything here is pure; app.py does the Streamlit side.

Links are untrusted input: numbers are ASCII digits within range (`²²²²` passes str.isdigit
but not here), texts are bounded, and values the database does not know are reported by
`unknown_notices` so the page can say what it ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace

from dashboard.labels import ALL_GRADES, FORM_KINDS

# Filters field -> query-string key.
PARAM_KEYS: dict[str, str] = {"years": "year", "departments": "dept", "units": "unit", "grades": "grade",
                              "kinds": "kind"}
PROJECT_KEY = "project"
YEAR_RANGE = (1949, 2199)
MAX_ID = 2**63 - 1  # DuckDB BIGINT
MAX_TEXT = 200  # longer "names" in a link are not names
# Field -> (what the notice calls it, what is shown instead).
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "years": ("年度", "全部年度"), "departments": ("主管部门", "全部主管部门"), "units": ("实施单位", "全部实施单位"),
    "grades": ("评分等级", "全部评分等级"), "kinds": ("表格类型", "全部表格类型"), "project": ("项目", "项目选择"),
}


@dataclass(frozen=True, slots=True)
class Filters:
    """An empty tuple means "no restriction" for that field."""

    years: tuple[int, ...] = ()
    departments: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # form kinds (项目支出 / 部门整体支出)

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def _dedupe(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        v = v.strip()
        if v and v not in out and len(v) <= MAX_TEXT:
            out.append(v)
    return out


def strict_int(value: str, lo: int, hi: int) -> int | None:
    """An integer written in ASCII digits within [lo, hi]; None for anything else."""
    v = value.strip()
    if not (v.isascii() and v.isdigit()) or len(v) > len(str(hi)):
        return None
    n = int(v)
    return n if lo <= n <= hi else None


def _year(value: str) -> int | None:
    return strict_int(value, *YEAR_RANGE)


def _ints(values: Iterable[str]) -> tuple[int, ...]:
    return tuple(sorted({y for v in _dedupe(values) if (y := _year(v)) is not None}))


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
        kinds=tuple(k for k in FORM_KINDS if k in _dedupe(get_all(PARAM_KEYS["kinds"]))),
    )


def _clip(value: str, n: int = 24) -> str:
    v = value.strip()
    return v if len(v) <= n else v[: n - 1] + "…"


def unknown_notices(params: Mapping[str, str | list[str]] | Getter, years: Iterable[int],
                    departments: Iterable[str], units: Iterable[str] | None = None) -> list[str]:
    """One Chinese sentence per link value that is malformed or not in the database:
    "链接中的年度 1999 不存在，已显示全部年度". Values are clipped; callers show them as plain text."""
    get_all = _getter(params)
    known: dict[str, set[str] | None] = {
        "years": {str(y) for y in years}, "departments": set(departments),
        "units": None if units is None else set(units), "grades": set(ALL_GRADES), "kinds": set(FORM_KINDS)}
    notes: list[str] = []
    for field, key in PARAM_KEYS.items():
        raw = [v.strip() for v in get_all(key) if v.strip()]
        bad = [v for v in raw if known[field] is not None and
               (v not in known[field] or (field == "years" and _year(v) is None))]
        if bad:
            name, instead = FIELD_NAMES[field]
            kept = len(bad) < len(set(raw))
            notes.append(f"链接中的{name} {'、'.join(_clip(b) for b in bad[:3])}{' 等' if len(bad) > 3 else ''} 不存在，"
                         + ("已忽略" if kept else f"已显示{instead}"))
    return notes


def project_notice(params: Mapping[str, str | list[str]] | Getter) -> str | None:
    """"链接中的项目 … 不是有效的报告ID，已忽略" when the link's project is not an id."""
    raw = [v.strip() for v in _getter(params)(PROJECT_KEY) if v.strip()]
    if raw and project_from_params(params) is None:
        return f"链接中的项目 {_clip(raw[-1])} 不是有效的报告ID，已忽略"
    return None


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
    return strict_int(values[-1], 1, MAX_ID) if values else None


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
    if f.kinds and len(f.kinds) < len(FORM_KINDS):
        parts.append("、".join(f.kinds))
    return parts or [empty]
