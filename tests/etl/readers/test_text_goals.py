"""Separating 预期目标 from 实际完成情况 in the line-broken goal block."""

from __future__ import annotations

from etl.readers.text_goals import column_width, split_goals
from etl.readers.text_lines import Line



def wrap(text: str, chars: int) -> list[str]:
    return [text[i:i + chars] for i in range(0, len(text), chars)]


# The left column wraps at 24 CJK characters, the right one at 23.
LEFT = wrap("加强留学人员宣传和网络阵地建设，实现网刊宣传渠道与新媒体的有效融合，完成海归学人的全年编辑制作任务。", 24)
RIGHT = wrap("用好各方资源打造全维度宣传服务阵地，推出会员服务平台，将联系引导服务留学人员的目标一站式精准落地。", 23)


def block(*pages: list[str]) -> list[Line]:
    return [Line(t, p) for p, texts in enumerate(pages, start=1) for t in texts]


def test_left_column_ends_after_its_last_full_width_line() -> None:
    parts, guessed = split_goals(block(LEFT + RIGHT), None)
    assert [(p.page, p.expected, p.actual) for p in parts] == [(1, LEFT, RIGHT)] and not guessed


def test_paragraph_break_inside_the_left_column_stays_left() -> None:
    left = LEFT + wrap("千百十暖心行为：主要针对学长提出的急难愁盼问题，逐步逐年有针对性解决。", 24)
    parts, _ = split_goals(block(left + RIGHT), None)
    assert (parts[0].expected, parts[0].actual) == (left, RIGHT)


def test_both_columns_continue_after_a_page_break() -> None:
    page1 = LEFT[:2] + RIGHT[:2]  # the left cell's last line on page 1 is full: it goes on
    page2 = LEFT[2:] + RIGHT[2:]
    parts, _ = split_goals(block(page1, page2), 48)
    assert [(p.page, p.expected, p.actual) for p in parts] == [(1, LEFT[:2], RIGHT[:2]), (2, LEFT[2:], RIGHT[2:])]


def test_single_line_left_cell_shares_a_line_with_the_right_one() -> None:
    parts, _ = split_goals(block(["信创系统日常运维、二级等保 完成信创系统日常运维，启动网站二级、会员信息系", "统三级等保工作。"]), 48)
    assert (parts[0].expected, parts[0].actual) == (["信创系统日常运维、二级等保"], ["完成信创系统日常运维，启动网站二级、会员信息系",
                                                                          "统三级等保工作。"])
    parts, _ = split_goals(block(["按规定缴纳残疾人就业保障金 及时全额缴纳"]), 48)
    assert (parts[0].expected, parts[0].actual) == (["按规定缴纳残疾人就业保障金"], ["及时全额缴纳"])


def test_document_width_ignores_short_blocks_and_combined_lines() -> None:
    assert column_width([block(LEFT + RIGHT), block(["甲 乙"])]) == 48


def test_without_any_full_line_the_cut_is_a_reported_guess() -> None:
    parts, guessed = split_goals(block(["短的第一段。", "另一段也很短。"]), 60)
    assert guessed and (parts[0].expected, parts[0].actual) == (["短的第一段。"], ["另一段也很短。"])
