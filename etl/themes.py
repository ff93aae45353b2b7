"""偏差原因 themes: the theme of a reason given for lost points, from its text alone.

A theme is a pure function of the text, so it is computed once per text while the marts are
derived and pre-counted per year × 主管部门 (etl/marts.py: mart_problems, mart_themes); the
dashboard reads counts, never every reason of a slice. Explainable on purpose, no model:
1. the first THEME_RULES rule one of whose word groups all occur in the text names the theme
   (vocabulary as data: "留存" -> 未留存佐证资料); the group's words are the basis shown;
2. else 「含“词”」 with the reason's first content word, so reasons about the same subject
   (场地改造工期延误… / 场地改造未按期完成) group together whatever the rest of their wording;
3. else 其他; an empty reason is 未填写偏差原因.
Words are found by longest match against WORDS (etl/data/reason_words.txt: the 2–4-character
words of jieba's bundled dictionary with frequency ≥ 100, made by tests/synth/reason_words.py),
not by loading a segmenter: an ingest of one file then costs no dictionary load (jieba: ~1 s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

EMPTY_THEME = "未填写偏差原因"
OTHER_THEME = "其他"
WORD_THEME = "含“{}”"
WORDS_FILE = Path(__file__).with_name("data") / "reason_words.txt"
LONGEST = 4


@dataclass(frozen=True, slots=True)
class ThemeRule:
    label: str
    any_of: tuple[tuple[str, ...], ...]  # matches when every word of one group occurs in the reason


THEME_RULES: tuple[ThemeRule, ...] = (
    ThemeRule("未留存佐证资料（满意度调查、问卷等）", (("留存",), ("存档",), ("佐证",), ("台账",), ("归档",))),
    ThemeRule("满意度未达指标值", (("满意度", "未达"), ("满意度", "偏低"), ("满意度", "不高"), ("满意度", "低于"))),
    ThemeRule("仍有提升空间、需进一步完善", (("提升", "空间"), ("进一步", "完善"), ("有待", "提高"), ("有待", "加强"))),
    ThemeRule("受众或外部因素", (("受众",), ("客观",), ("疫情",), ("天气",), ("不可抗力",))),
    ThemeRule("指标设置不合理或已调整", (("不适合",), ("不适用",), ("指标", "修改"), ("修改为",), ("指标", "调整"))),
    ThemeRule("预算或资金执行", (("预算",), ("资金",), ("结余",), ("采购",), ("结转",))),
    ThemeRule("进度延后或未完成", (("延期",), ("滞后",), ("推迟",), ("未完成",), ("进度",))),
)

# Words that carry no theme of their own: never a reason's 「含“词”」.
STOPWORDS = frozenset("""
建议 后续 加强 管理 相关 进行 工作 情况 存在 方面 问题 原因 由于 因此 主要 部分 今后 下一步 继续 做好 有效 一定 通过
指标 指标值 实际 完成 年度 项目 我们 我单位 单位 以此 考核 没有 不够 较为 需要 其中 以及 对于 进一步 根据 导致
本年 本年度 当年 今年 全年 该项 此项 实际值 完成值 目标 目标值 未达 达到 预期 偏差 分值 得分 扣分 不能 无法
""".split())
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True, slots=True)
class Assignment:
    theme: str
    basis: str  # why: the rule's words or the reason's word; "" for 其他 and 未填写


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    """The vocabulary: the shipped word list plus every rule word and stopword."""
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    listed = (w for w in lines if w and not w.startswith("#"))
    ruled = (w for rule in THEME_RULES for group in rule.any_of for w in group)
    return frozenset((*listed, *ruled, *STOPWORDS))


def tokens(text: str) -> list[str]:
    """The vocabulary words of `text`, left to right, longest match first."""
    vocab, out = words(), []
    for run in _HAN_RUN.findall(text):
        i = 0
        while i < len(run) - 1:
            word = next((run[i:i + n] for n in range(min(LONGEST, len(run) - i), 1, -1) if run[i:i + n] in vocab),
                        None)
            if word is None:
                i += 1
            else:
                out.append(word)
                i += len(word)
    return out


def rule_for(text: str) -> tuple[ThemeRule, tuple[str, ...]] | None:
    """The first rule with a word group whose words all occur in `text`, and that group."""
    for rule in THEME_RULES:
        for group in rule.any_of:
            if all(w in text for w in group):
                return rule, group
    return None


@lru_cache(maxsize=200_000)
def assign(text: str | None) -> Assignment:
    """The theme of one reason (see the module docstring for the three steps)."""
    text = (text or "").strip()
    if not text:
        return Assignment(EMPTY_THEME, "")
    hit = rule_for(text)
    if hit is not None:
        return Assignment(hit[0].label, "、".join(hit[1]))
    word = next((w for w in tokens(text) if w not in STOPWORDS), None)
    if word is None:
        return Assignment(OTHER_THEME, "")
    return Assignment(WORD_THEME.format(word), word)

