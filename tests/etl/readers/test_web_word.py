"""The HTML and Word readers: encodings, rowspan/colspan and vMerge/gridSpan placement, refs."""

from __future__ import annotations

import pytest
from docx import Document as WordDocument

from etl.compare import comparable
from etl.parse import parse_document
from etl.readers import UnreadableFile, read_document
from etl.readers.docx import read_docx
from etl.readers.html import decode, read_html
from tests.synth.golden import golden_forms
from tests.synth.html_form import WebStyle, page_html
from tests.synth.source_files import paths

SPANS = """<table>
<tr><td rowspan="3">产出<br>指标</td><td colspan="2">数量  指标</td><td>a</td></tr>
<tr><td>b</td><td rowspan="2">c</td><td>d</td></tr>
<tr><td><p>e</p><p>f</p></td><td>g</td></tr>
</table>"""


def grid(doc) -> list[list[tuple[str, int, int]]]:
    return [[(c.text, c.rowspan, c.colspan) for c in row] for row in doc.rows]


def test_html_rowspan_and_colspan_are_placed_as_browsers_place_them(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(f"<html><body><h1>标题</h1>{SPANS}<p>页脚</p></body></html>", encoding="utf-8")
    doc = read_html(str(path))
    assert grid(doc) == [
        [("标题", 1, 1)],
        [("产出\n指标", 3, 1), ("数量 指标", 1, 2), ("", 1, 1), ("a", 1, 1)],
        [("", 1, 1), ("b", 1, 1), ("c", 2, 1), ("d", 1, 1)],
        [("", 1, 1), ("e\nf", 1, 1), ("", 1, 1), ("g", 1, 1)],
        [("页脚", 1, 1)],
    ]
    assert doc.rows[2][2].ref == "表1 第2行 第3列" and doc.rows[2][2].page == 1
    assert doc.rows[0][0].ref == "表1之前" and doc.pages == 2


@pytest.mark.parametrize("meta,encoding", [(None, "gb18030"), ("gb2312", "gb18030"), (None, "utf-8"),
                                           ("utf-8", "utf-8"), ("GBK", "gbk")])
def test_html_encodings_with_or_without_meta(tmp_path, meta, encoding):
    form = golden_forms()[0]
    path = tmp_path / "form.htm"
    path.write_bytes(page_html([form], WebStyle(), charset=meta).encode(encoding))
    assert [comparable(f) for f in parse_document(read_document(path))] == [comparable(form)]


def test_gb18030_without_meta_is_detected():
    raw = "<table><tr><td>项目名称</td><td>统战研究经费</td></tr></table>".encode("gb18030")
    text, used = decode(raw)
    assert used == "gb18030" and "统战研究经费" in text
    assert decode("<meta charset='utf-8'>项目".encode())[1] == "utf-8"
    assert decode(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' +
                  "项目".encode("gbk"))[0].endswith("项目")


def test_bundled_gb18030_page_without_meta_holds_its_forms():
    page = paths("html")["002_ad0082497000d1dc.txt"]
    raw = page.read_bytes()
    assert b"charset" not in raw and decode(raw)[1] == "gb18030"
    assert len(parse_document(read_html(str(page)))) == 4


def test_html_without_content_is_unreadable(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title><script>var a=1</script></head><body> </body></html>")
    with pytest.raises(UnreadableFile):
        read_html(str(path))


def test_docx_vmerge_and_gridspan(tmp_path):
    word = WordDocument()
    word.add_paragraph("财政项目支出绩效自评表")
    table = word.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "产出指标"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "数量指标"
    table.cell(1, 2).merge(table.cell(2, 3)).text = "合并"
    table.cell(0, 3).text = "a"
    table.cell(1, 1).text = "b"
    word.save(tmp_path / "t.docx")
    doc = read_docx(str(tmp_path / "t.docx"))
    assert grid(doc) == [
        [("财政项目支出绩效自评表", 1, 1)],
        [("产出指标", 3, 1), ("数量指标", 1, 2), ("", 1, 1), ("a", 1, 1)],
        [("", 1, 1), ("b", 1, 1), ("合并", 2, 2), ("", 1, 1)],
        [("", 1, 1), ("", 1, 1), ("", 1, 1), ("", 1, 1)],
    ]
    assert doc.rows[2][2].ref == "表1 第2行 第3列" and doc.rows[0][0].ref == "第1段"


@pytest.mark.parametrize("content", [b"", b"plain text", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512])
def test_broken_docx_is_unreadable_not_a_crash(tmp_path, content):
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile):
        read_docx(str(path))
