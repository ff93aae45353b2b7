"""偏差原因 themes: the reasons given for lost points, grouped into recurring themes.

Explainable on purpose, no model: each reason is cut into words by jieba (its bundled
dictionary, nothing downloaded), then
1. the first rule of THEME_RULES whose words all occur names its theme (vocabulary as data:
   "留存" -> 未留存佐证资料); the rule's words are the explanation shown;
2. reasons no rule matches are grouped greedily by the content word most of them share
   (a word in at least two reasons: theme 「含“受众”」), so new wording still groups;
3. the rest are 其他; an empty reason is 未填写偏差原因.
The same text always gets the same theme, so a theme is a set of texts: tables filter and
label rows by looking the text up (`lookup`), in SQL, with parameters.
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
    """Every word jieba finds in `text` (punctuation dropped)."""
    return [w for w in _jieba().lcut(text) if w.strip() and not re.fullmatch(r"[\W_]+", w)]


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
    sql = f"""
        SELECT coalesce(deviation, '') AS deviation, count(*) AS n, list(DISTINCT report_id) AS reports,
               list(DISTINCT department) AS departments
        FROM mart_problems WHERE {FILTER} GROUP BY 1 ORDER BY n DESC, deviation LIMIT {MAX_TEXTS}"""
    return run(con, sql, filter_params(f))


def lookup(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(texts, themes) of the slice's reasons: the parameters for `theme_sql`."""
    rows = _reason_rows(con, f)
    themes = assign(rows["deviation"])
    texts = tuple(themes)
    return texts, tuple(themes[t].theme for t in texts)


def theme_sql(column: str = "deviation") -> str:
    """SQL naming the theme of `column`, from the $th_texts/$th_labels parameters."""
    return (f"coalesce(list_extract(CAST($th_labels AS VARCHAR[]), list_position(CAST($th_texts AS VARCHAR[]), "
            f"coalesce({column}, ''))), '{OTHER_THEME}')")


def reason_themes(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per theme: theme, basis (the words that decided), n (indicator rows),
    reasons (filled-in rows), projects, departments, example; most rows first, 未填写 last."""
    rows = _reason_rows(con, f)
    themes = assign(rows["deviation"])
    acc: dict[str, dict] = {}
    for text, n, reports, depts in rows.itertuples(index=False):
        a = themes[text]
        t = acc.setdefault(a.theme, {"theme": a.theme, "basis": set(), "n": 0, "projects": set(),
                                     "departments": set(), "example": text})
        t["n"] += int(n)
        t["projects"].update(reports)
        t["departments"].update(depts)
        if a.basis:
            t["basis"].add(a.basis)
    out = pd.DataFrame([{**t, "basis": "；".join(sorted(t["basis"])), "projects": len(t["projects"]),
                         "departments": len(t["departments"])} for t in acc.values()],
                       columns=["theme", "basis", "n", "projects", "departments", "example"])
    out["_last"] = out["theme"].isin([EMPTY_THEME, OTHER_THEME])
    out = out.sort_values(["_last", "n", "theme"], ascending=[True, False, True]).drop(columns="_last")
    return out.reset_index(drop=True)
