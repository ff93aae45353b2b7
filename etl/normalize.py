"""Text normalisation shared by every reader and the parser.

Stored text stays as printed (full-width `：` stays full-width) except for one
repair: look-alike radical code points that WPS/Word exporters emit instead of the
ordinary ideograph (`⽬` U+2F6C for `目` U+76EE) are mapped back, because they are an
encoding accident, not what the author typed. Label matching uses `label_key`,
which also folds width and drops whitespace.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement (U+2E80–U+2EFF) has almost no compatibility mappings, so
# NFKC leaves it alone; these are the simplified/variant forms exporters emit.
_SUPPLEMENT = dict(zip(
    "⺁⺇⺌⺍⺎⺏⺐⺒⺓⺔⺗⺘⺙⺛⺝⺞⺟⺠⺡⺢⺣⺤⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺱⺳⺶⺷⺹⺺⺻⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻈⻉⻊⻋⻌⻍⻎⻏⻐⻑⻒⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻞⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
    "厂几小小兀尣尢巳幺彑心扌攵旡月歹母民氵氺灬爫丬牜犭王疋罒示礻竹糹纟罓网羊羊耂肀聿肉臼艹艹艹虎衤覀西见角讠贝足车辶辶辶阝金長镸长门阝雨青韦页风飞食食食饣马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龍亀龟",
    strict=True,
))
_KANGXI = re.compile("[\u2f00-\u2fd5]")
_SUPPLEMENT_RE = re.compile("[" + "".join(_SUPPLEMENT) + "]")
_CID = re.compile(r"\(cid:\d+\)")
_WS = re.compile(r"\s+")


def fold_radicals(text: str) -> str:
    """Map Kangxi Radicals and CJK Radicals Supplement look-alikes to ordinary ideographs."""
    text = _KANGXI.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _SUPPLEMENT_RE.sub(lambda m: _SUPPLEMENT[m.group()], text)


def has_cid(text: str) -> bool:
    """True where the PDF had glyphs without a Unicode mapping (pdfplumber prints `(cid:N)`)."""
    return bool(_CID.search(text))


def clean(text: str | None) -> str:
    """Cell text as stored: radicals folded, NUL/odd spaces made plain, ends trimmed."""
    if not text:
        return ""
    text = fold_radicals(text).replace("\u3000", " ").replace("\xa0", " ").replace("\x00", "")
    return text.strip()


def label_key(text: str | None) -> str:
    """A key for comparing labels: width folded (NFKC), whitespace removed."""
    return _WS.sub("", unicodedata.normalize("NFKC", fold_radicals(text or "")))


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of a wrapped cell: no space between CJK text, one space between Latin words."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(line[0])):
            out += " "
        out += line
    return out
