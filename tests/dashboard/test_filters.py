"""Filter state <-> query string, without Streamlit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dashboard.filters import (Filters, describe, from_params, project_from_params, restrict, to_params,
                               project_notice, unknown_notices)


def test_reads_repeated_keys_and_drops_malformed_values() -> None:
    f = from_params({"year": ["2024", "abc", "2023", "2024", "99999"], "dept": ["上海市科学技术协会", " ", "上海市科学技术协会"],
                     "unit": "上海市同舟服务中心", "grade": ["良", "A", "优"]})
    assert f == Filters(years=(2023, 2024), departments=("上海市科学技术协会",), units=("上海市同舟服务中心",),
                        grades=("优", "良"))


def test_accepts_a_get_all_function_like_st_query_params() -> None:
    params = {"dept": ["甲", "乙"]}
    assert from_params(lambda key: params.get(key, [])).departments == ("甲", "乙")


def test_empty_filters_make_no_params_and_a_clean_link() -> None:
    assert to_params(Filters()) == {}
    assert not Filters().active
    assert Filters(grades=("差",)).active


names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs")), min_size=1, max_size=12)


@given(years=st.sets(st.integers(2000, 2099), max_size=4), depts=st.lists(names, unique=True, max_size=4),
       units=st.lists(names, unique=True, max_size=3), grades=st.sets(st.sampled_from("优良中差")))
def test_round_trip_through_the_query_string(years: set[int], depts: list[str], units: list[str],
                                              grades: set[str]) -> None:
    f = Filters(years=tuple(sorted(years)), departments=tuple(depts), units=tuple(units),
                grades=tuple(g for g in "优良中差" if g in grades))
    assert from_params(to_params(f)) == f


def test_project_id_comes_from_the_last_numeric_value() -> None:
    assert project_from_params({"project": "20004"}) == 20004
    assert project_from_params({"project": ["1", "40004"]}) == 40004
    assert project_from_params({"project": "x1"}) is None
    assert project_from_params({}) is None


def test_restrict_drops_values_the_database_does_not_know() -> None:
    f = Filters(years=(2019, 2024), departments=("甲", "已撤销部门"), grades=("优",))
    assert restrict(f, [2023, 2024], ["甲", "乙"]) == Filters(years=(2024,), departments=("甲",), grades=("优",))


def test_describe_names_the_slice() -> None:
    assert describe(Filters(years=(2024,), departments=("上海市科学技术协会",))) == ["上海市科学技术协会", "2024"]
    assert describe(Filters(years=(2022, 2023, 2024), departments=("甲", "乙"))) == ["2个部门", "2022-2024"]
    assert describe(Filters(years=(2020, 2024), grades=("中", "差"))) == ["2020+2024", "中差"]
    assert describe(Filters()) == ["全部"]


def test_link_numbers_must_be_ascii_digits_within_range() -> None:
    assert from_params({"year": ["²²²²", "２０２４", "1999", "2024"]}).years == (1999, 2024)
    assert from_params({"year": "9" * 4301}).years == ()
    assert project_from_params({"project": "²"}) is None
    assert project_from_params({"project": "9" * 4301}) is None
    assert project_from_params({"project": "0"}) is None
    assert project_from_params({"project": str(2**63)}) is None
    assert project_from_params({"project": "40004"}) == 40004


def test_unknown_link_values_are_named_in_a_notice() -> None:
    notes = unknown_notices({"year": "1999", "dept": ["甲", "已撤销"], "grade": "A"}, [2023, 2024], ["甲", "乙"])
    assert "链接中的年度 1999 不存在，已显示全部年度" in notes
    assert "链接中的主管部门 已撤销 不存在，已忽略" in notes  # 甲 is kept
    assert "链接中的评分等级 A 不存在，已显示全部评分等级" in notes
    assert project_notice({"project": "²"}) == "链接中的项目 ² 不是有效的报告ID，已忽略"
    assert project_notice({"project": "40004"}) is None and project_notice({}) is None
    assert unknown_notices({"year": "2024", "dept": "甲"}, [2024], ["甲"]) == []
    long = unknown_notices({"year": "²" * 4301}, [2024], [])[0]
    assert len(long) < 60  # the value is clipped


def test_form_kind_is_a_filter_in_the_link() -> None:
    f = from_params({"kind": ["部门整体支出", "其他"]})
    assert f.kinds == ("部门整体支出",) and to_params(f) == {"kind": ["部门整体支出"]}
    assert describe(f) == ["部门整体支出"]
