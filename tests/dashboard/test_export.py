"""CSV export rules: BOM, formula escaping of text cells only, CRLF, Chinese headers, file names."""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa

from dashboard.export import BOM, csv_bytes, excel_safe, file_name
from dashboard.filters import Filters


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["满意度", "=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTab", "\rCR", "正常-中间", None],
        "target": ["=100%", "≥95%", "-", "", "a", "b", "c", "d", "e"],
        "score": [10.0, -3.5, 0.0, 1, 2, 3, 4, 5, None],
        "year": pd.array([2024, 2023, 2024, 2024, 2024, 2024, 2024, 2024, None], dtype="Int64"),
    })


def test_bytes_start_with_the_utf8_bom_and_use_crlf() -> None:
    data = csv_bytes(frame())
    assert data.startswith(BOM.encode("utf-8"))
    assert data.decode("utf-8-sig").splitlines(keepends=True)[0].endswith("\r\n")


def test_formula_like_text_is_prefixed_numbers_stay_numbers() -> None:
    back = pd.read_csv(io.BytesIO(csv_bytes(frame(), label_columns=False)), encoding="utf-8-sig",
                       keep_default_na=False)
    assert list(back["name"][:7]) == ["满意度", "'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tTab",
                                      "'\rCR"]
    assert back["name"][7] == "正常-中间"  # only a leading sign is dangerous
    assert back["target"][0] == "'=100%" and back["target"][2] == "'-"
    numbers = pd.read_csv(io.BytesIO(csv_bytes(frame(), label_columns=False)), encoding="utf-8-sig")
    assert numbers["score"][1] == -3.5  # a negative number in a numeric column is not text
    assert numbers["year"][0] == 2024


def test_excel_safe_leaves_missing_values_missing() -> None:
    out = excel_safe(pa.Table.from_pandas(frame(), preserve_index=False))
    assert out["name"][8].as_py() is None and out["score"][8].as_py() is None
    assert out["name"][1].as_py().startswith("'=") and out["score"][1].as_py() == -3.5


def test_headers_are_the_chinese_labels() -> None:
    header = csv_bytes(frame()).decode("utf-8-sig").splitlines()[0]
    assert header == '"三级指标","年度指标值","得分","年度"'


def test_file_name_says_what_the_slice_is() -> None:
    f = Filters(years=(2024,), departments=("上海市科学技术协会",))
    assert file_name("未达标指标", f) == "未达标指标_上海市科学技术协会_2024.csv"
    assert file_name("项目问题", None, ["抚恤金", "2024"]) == "项目问题_抚恤金_2024.csv"
    assert file_name("数据", Filters()) == "数据_全部.csv"
    assert file_name("a/b", None, ['x:y*?"<>|z']) == "a_b_x_y_z.csv"
