"""Row reconstruction of the line-broken indicator table, on small hand-made snippets."""

from __future__ import annotations

from etl.readers.text_lines import Line, find_anchor, tokens
from etl.readers.text_split import Widths
from etl.readers.text_table import SLOTS, table_rows

W = Widths(cat=4, name=28, narrow=12, dev=18)


def lines(text: str) -> list[Line]:
    """Snippet lines; a line `<pb>` starts a new page."""
    out, page = [], 1
    for raw in text.strip().splitlines():
        if raw.strip() == "<pb>":
            page += 1
        elif raw.strip():
            out.append(Line(raw.strip(), page))
    return out


def rows(text: str, w: Widths = W) -> list[tuple[int, dict[str, str]]]:
    return [(page, dict(zip(SLOTS, cells))) for page, cells in table_rows(lines(text), w)]


def test_anchor_is_the_last_number_pair_and_the_rest_is_deviation() -> None:
    a = find_anchor("指标 1：妇女节活动开展时间 =1.00(次) 1.00(次) 5.00 5.00 该指标值不适合，修")
    assert a is not None
    assert (a.prefix, a.weight, a.score, a.suffix) == (
        ["指标 1：妇女节活动开展时间", "=1.00(次)", "1.00(次)"], "5.00", "5.00", "该指标值不适合，修")
    assert find_anchor("年会，增强凝聚力。") is None


def test_space_before_a_half_width_run_stays_inside_the_cell() -> None:
    assert tokens("指标 3：开展 2024上海市科协院 ≥3.00(天) 3.00(天)") == [
        "指标 3：开展 2024上海市科协院", "≥3.00(天)", "3.00(天)"]


def test_wrapped_category_words_go_to_the_category_columns() -> None:
    got = rows("""
        产出
        指标
        数量
        指标
        工作完成量 =1.00(个) 1.00(个) 30.00 30.00
        质量
        指标
        工作完成率 =100.00(%) 100.00(%) 20.00 20.00
    """)
    assert [r["level1"] for _, r in got] == ["产出\n指标", ""]
    assert [r["level2"] for _, r in got] == ["数量\n指标", "质量\n指标"]
    assert [(r["name"], r["target"], r["actual"], r["weight"], r["score"]) for _, r in got] == [
        ("工作完成量", "=1.00(个)", "1.00(个)", "30.00", "30.00"),
        ("工作完成率", "=100.00(%)", "100.00(%)", "20.00", "20.00")]


def test_wrapped_values_and_names_are_joined_into_their_cells() -> None:
    got = rows("""
        满意
        度指
        标
        服务
        对象
        满意
        度指
        标
        广大会员对同学会信息了解和联
        系交流
        满足会员需
        求
        达成指标 5.00 5.00
        微信公众号关注人数
        ≥10000(人
        次)
        30000.00(人
        次)
        10.00 10.00
    """)
    first, second = got[0][1], got[1][1]
    assert (first["level1"], first["level2"]) == ("满意\n度指\n标", "服务\n对象\n满意\n度指\n标")
    assert (first["name"], first["target"], first["actual"]) == ("广大会员对同学会信息了解和联\n系交流",
                                                                 "满足会员需\n求", "达成指标")
    assert (second["name"], second["target"], second["actual"]) == ("微信公众号关注人数", "≥10000(人\n次)",
                                                                     "30000.00(人\n次)")


def test_deviation_lines_after_the_numbers_are_told_from_the_next_name() -> None:
    got = rows("""
        指标 2：支部书记述职开展时间 ≥1.00(次) 1.00(次) 5.00 5.00
        该指标值不适合，修
        改为“支部书记述职
        开展及时性”，以此
        指标进行考核，实际
        值为“及时””
        指标 3：其余会议、培训开展时
        间
        ≥3.00(次) 3.00(次) 5.00 5.00
    """)
    assert got[0][1]["deviation"].startswith("该指标值不适合，修\n改为") and got[0][1]["deviation"].endswith("及时””")
    assert (got[1][1]["name"], got[1][1]["deviation"]) == ("指标 3：其余会议、培训开展时\n间", "")


def test_row_split_at_a_page_break_comes_out_as_two_page_parts() -> None:
    got = rows("""
        可持
        续影
        响指
        标
        长效管理机制 健全 达成指标 10.00 10.00
        满意 服务 服务会员满意度 =100(%) 100.00(%) 10.00 10.00
        <pb>
        度指
        标
        对象
        满意
        度指
        标
    """)
    assert [p for p, _ in got] == [1, 1, 2]
    part1, part2 = got[1][1], got[2][1]
    assert (part1["level1"], part1["level2"], part1["weight"]) == ("满意", "服务", "10.00")
    assert (part2["level1"], part2["level2"], part2["weight"], part2["name"]) == (
        "度指\n标", "对象\n满意\n度指\n标", "", "")


def test_name_continued_after_a_page_break_goes_back_to_its_row() -> None:
    got = rows("""
        指标 6：第 32届海峡两岸都市交 交流 达成指标 3.00 3.00
        <pb>
        通学术研讨会为两岸业界人士搭
        建相识相知平台
        满意
        度指
        标
        服务
        对象
        满意
        度指
        标
        指标 1：当年最后一次学会秘书 ≥85.00(%) 85.00(%) 2.00 1.00
    """, Widths(cat=4, name=29, narrow=12, dev=18))
    assert [p for p, _ in got] == [1, 2, 2]
    assert got[1][1]["name"] == "通学术研讨会为两岸业界人士搭\n建相识相知平台"
    assert got[2][1]["level1"] == "满意\n度指\n标"


def test_full_width_name_at_a_page_end_does_not_swallow_the_next_row() -> None:
    got = rows("""
        指标 1：妇女节活动开展时间 =1.00(次) 1.00(次) 5.00 5.00 该指标值不适合，修
        为“及时””
        <pb>
        指标 2：支部书记述职开展时间 ≥1.00(次) 1.00(次) 5.00 5.00
    """)
    assert [(p, r["name"]) for p, r in got] == [(1, "指标 1：妇女节活动开展时间"), (2, "指标 2：支部书记述职开展时间")]


def test_repeated_identical_rows_are_both_kept() -> None:
    got = rows("""
        时效
        指标
        指标 1：按各节点工作时间完成
        各项任务，保证会议顺利举行
        完成 达成指标 5.00 5.00
        指标 1：按各节点工作时间完成
        各项任务，保证会议顺利举行
        完成 达成指标 5.00 5.00
    """)
    names = [(r["name"], r["target"], r["actual"]) for _, r in got]
    assert names == [("指标 1：按各节点工作时间完成\n各项任务，保证会议顺利举行", "完成", "达成指标")] * 2


def test_text_with_no_numbers_line_is_kept_as_free_rows() -> None:
    assert table_rows(lines("随便一行\n另一行"), W) == [(1, ["随便一行"]), (1, ["另一行"])]
