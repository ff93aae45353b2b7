"""偏差原因 themes (etl/themes.py): one theme per reason, from its text alone."""

from __future__ import annotations

from collections import Counter

from etl import themes
from etl.checks import check_form
from tests.synth.golden import golden_by_source
from tests.synth.reason_words import derive

RETAINED = "未留存佐证资料（满意度调查、问卷等）"


def sample_problem_reasons() -> list[str]:
    """The 偏差原因 of every indicator of the 17 sample forms that lost points or missed its target."""
    out = []
    for forms in golden_by_source().values():
        for form in forms:
            checked = check_form(form)
            out += [i.deviation for i, j in zip(checked.form.indicators, checked.judgements, strict=True)
                    if j.met is False or (i.score is not None and i.weight is not None and i.score < i.weight - 0.005)]
    return out


def test_the_sample_reasons_get_the_expected_themes() -> None:
    reasons = sample_problem_reasons()
    counts = Counter(themes.assign(r).theme for r in reasons)
    assert len(reasons) == 15
    assert counts[RETAINED] == 9  # "未留存满意度资料" and its wordings, in 9 of the 15 reasons
    assert counts["仍有提升空间、需进一步完善"] == 3
    assert counts[themes.EMPTY_THEME] == 1
    assert themes.assign("受众群体不同") == themes.Assignment("受众或外部因素", "受众")


def test_unruled_wording_is_grouped_by_its_first_content_word() -> None:
    a, b = themes.assign("场地改造工期延误导致活动减少"), themes.assign("场地改造未按期完成")
    assert a == b == themes.Assignment("含“场地”", "场地")
    # Stopwords are skipped: 由于/部分 lead many reasons and say nothing of their subject.
    assert themes.assign("由于部分设备到货延迟").theme == "含“设备”"
    assert themes.assign("，。！").theme == themes.OTHER_THEME
    assert themes.assign("  ").theme == themes.assign(None).theme == themes.EMPTY_THEME


def test_rules_match_words_inside_longer_wording() -> None:
    # jieba cuts 不适用 into 不/适用, so a rule on words missed it; substrings do not.
    assert themes.assign("该指标不适用，故不进行填写").theme == "指标设置不合理或已调整"
    assert themes.assign("满意度调查结果未达到预期").theme == "满意度未达指标值"
    assert themes.assign("受疫情影响，活动延期").basis == "疫情"  # the first rule in order wins


def test_longest_word_first() -> None:
    assert themes.tokens("满意度调查") == ["满意度", "调查"]  # not 满意 + 度调…
    assert themes.tokens("ABC") == []


def test_the_word_list_is_what_its_derivation_makes() -> None:
    assert themes.WORDS_FILE.read_text(encoding="utf-8") == derive()
