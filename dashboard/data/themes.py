"""偏差原因 themes: the reasons given for lost points, grouped into recurring themes.

Explainable on purpose, no model: each reason is cut into words by jieba (its bundled
dictionary, nothing downloaded), then
1. the first rule of THEME_RULES whose words all occur names its theme (vocabulary as data:
   "留存" -> 未留存佐证资料); the rule's words are the explanation shown;
2. reasons no rule matches are grouped greedily by the content word most of them share
   (a word in at least two reasons: theme 「含“受众”」), so new wording still groups;
3. the rest are 其他; an empty reason is 未填写偏差原因.
The same text always gets the same theme, so a theme is a set of texts: tables filter and
label rows by joining the (text, theme) pairs (`lookup`), in SQL, with parameters.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import pandas as pd

from dashboard.data.base import FILTER, filter_params
from dashboard.data.db import run
from dashboard.filters import Filters

EMPTY_THEME = "未填写偏差原因"
OTHER_THEME = "其他"
MAX_TEXTS = 20_000  # distinct reasons segmented per slice; rarer ones go to 其他


@dataclass(frozen=True, slots=True)
class ThemeRule:
    label: str
    any_of: tuple[tuple[str, ...], ...]  # matches when all words of one group are among the reason's words


THEME_RULES: tuple[ThemeRule, ...] = (
    ThemeRule("未留存佐证资料（满意度调查、问卷等）", (("留存",), ("存档",), ("佐证",), ("台账",), ("归档",))),
    ThemeRule("满意度未达指标值", (("满意度", "未达"), ("满意度", "未达到"), ("满意度", "偏低"), ("满意度", "不高"))),
    ThemeRule("仍有提升空间、需进一步完善", (("提升", "空间"), ("进一步", "完善"), ("有待", "提高"), ("有待", "加强"))),
    ThemeRule("受众或外部因素", (("受众",), ("客观",), ("疫情",), ("天气",), ("不可抗力",))),
    ThemeRule("指标设置不合理或已调整", (("不适合",), ("不适用",), ("指标", "修改"), ("修改", "为"), ("指标", "调整"))),
    ThemeRule("预算或资金执行", (("预算",), ("资金",), ("结余",), ("采购",), ("结转",))),
    ThemeRule("进度延后或未完成", (("延期",), ("滞后",), ("推迟",), ("未完成",), ("进度",))),
)

# Words that carry no theme of their own.
STOPWORDS = frozenset("""
建议 后续 加强 管理 相关 进行 工作 情况 存在 方面 问题 原因 由于 因此 主要 部分 今后 下一步 继续 做好 有效 一定 通过
指标 指标值 实际 完成 年度 项目 我们 我单位 单位 以此 考核 没有 不够 较为 需要 其中 以及 对于 进一步
""".split())
_PUNCT = re.compile(r"[\W_]+")
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,}")


@dataclass(frozen=True, slots=True)
class Assignment:
    theme: str
    basis: str  # why: the rule's words or the shared word


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202 - imported on first use: loading the dictionary takes a second
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def words(text: str) -> list[str]:
    """Every word jieba finds in `text` (punctuation dropped).

    jieba cuts each run of Han/alphanumeric characters on its own (`re_han_default` splits the
    text first), so the runs are cut here one by one through a cache: reasons at scale are
    combinations of a few hundred clauses, and 20,000 distinct reasons cost a few hundred cuts."""
    out: list[str] = []
    for block in _jieba().re_han_default.split(text):
        if block:
            out += _cut(block)
    return out


@lru_cache(maxsize=100_000)
def _cut(block: str) -> tuple[str, ...]:
    return tuple(w for w in _jieba().lcut(block) if w.strip() and not _PUNCT.fullmatch(w))


def content_words(ws: Iterable[str]) -> set[str]:
    return {w for w in ws if _WORD.fullmatch(w) and w not in STOPWORDS}


def rule_for(ws: set[str]) -> ThemeRule | None:
    for rule in THEME_RULES:
        if any(all(w in ws for w in group) for group in rule.any_of):
            return rule
    return None


def assign(texts: Iterable[str]) -> dict[str, Assignment]:
    """Theme of each distinct text (see the module docstring for the three steps)."""
    out: dict[str, Assignment] = {}
    rest: dict[str, set[str]] = {}
    for text in dict.fromkeys(t for t in texts if t is not None):
        if not text.strip():
            out[text] = Assignment(EMPTY_THEME, "")
            continue
        ws = set(words(text))
        rule = rule_for(ws)
        if rule is not None:
            hit = next(g for g in rule.any_of if all(w in ws for w in g))
            out[text] = Assignment(rule.label, "、".join(hit))
        else:
            rest[text] = content_words(ws)
    while rest:
        df = Counter(w for ws in rest.values() for w in ws)
        common = [(n, w) for w, n in df.items() if n >= 2]
        if not common:
            break
        _, word = max(common, key=lambda nw: (nw[0], len(nw[1]), nw[1]))
        for text in [t for t, ws in rest.items() if word in ws]:
            out[text] = Assignment(f"含“{word}”", word)
            del rest[text]
    out.update({t: Assignment(OTHER_THEME, "") for t in rest})
    return out


def _reason_rows(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The slice's distinct reasons with their row counts, the MAX_TEXTS most frequent."""
    sql = f"""
        SELECT coalesce(deviation, '') AS deviation, count(*) AS n
        FROM mart_problems WHERE {FILTER} GROUP BY 1 ORDER BY n DESC, deviation LIMIT {MAX_TEXTS}"""
    return run(con, sql, filter_params(f))


def lookup(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(texts, themes) of the slice's reasons: what `indicators.problem_slice` labels its rows with."""
    themes = assign(_reason_rows(con, f)["deviation"])
    texts = tuple(themes)
    return texts, tuple(themes[t].theme for t in texts)


_SEP = "\x1f"  # unit separator: never in a reason read from a form (texts holding one stay 其他)
# The (text, theme) pairs as a relation (reason, theme) from the two `theme_params` strings.
THEME_PAIRS = ("(SELECT unnest(string_split($th_texts, chr(31))[2:]) AS reason, "
               "unnest(string_split($th_labels, chr(31))[2:]) AS theme)")


def theme_params(texts: Iterable[str], labels: Iterable[str]) -> dict[str, str]:
    """The pairs as two strings, each element led by the separator: one short hash for a cache
    key (20,000 texts in a tuple cost ~0.5 s to hash on every rerun of a page)."""
    pairs = [(t, lb) for t, lb in zip(texts, labels, strict=True) if _SEP not in t]
    return {"th_texts": "".join(_SEP + t for t, _ in pairs), "th_labels": "".join(_SEP + lb for _, lb in pairs)}


def reason_themes(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per theme: theme, basis (the words that decided), n (indicator rows),
    projects, departments, example; most rows first, 未填写 and 其他 last.

    The reasons are themed in Python (`assign`), then counted per theme in SQL by joining
    the (text, theme) pairs: a project or department with several reasons of one theme
    counts once. Rows beyond the MAX_TEXTS most frequent reasons count as 其他, as they
    show in the indicator table (`indicators.problem_slice`)."""
    rows = _reason_rows(con, f)
    themes = assign(rows["deviation"])
    counts = run(con, f"""
        SELECT coalesce(m.theme, '{OTHER_THEME}') AS theme, count(*) AS n, count(DISTINCT p.report_id) AS projects,
               count(DISTINCT p.department) AS departments
        FROM mart_problems p LEFT JOIN {THEME_PAIRS} m ON m.reason = coalesce(p.deviation, '')
        WHERE {FILTER} GROUP BY 1""", filter_params(f) | theme_params(themes, (a.theme for a in themes.values())))
    basis: dict[str, set[str]] = {}
    example: dict[str, str] = {}
    for text in rows["deviation"]:  # most frequent first: the first text of a theme is its example
        a = themes[text]
        example.setdefault(a.theme, text)
        if a.basis:
            basis.setdefault(a.theme, set()).add(a.basis)
    out = counts.assign(basis=["；".join(sorted(basis.get(t, ()))) for t in counts["theme"]],
                        example=[example.get(t, "") for t in counts["theme"]])
    out = out[["theme", "basis", "n", "projects", "departments", "example"]]
    out["_last"] = out["theme"].isin([EMPTY_THEME, OTHER_THEME])
    out = out.sort_values(["_last", "n", "theme"], ascending=[True, False, True]).drop(columns="_last")
    return out.reset_index(drop=True)
