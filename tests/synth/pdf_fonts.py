"""CJK TrueType fonts for the PDF generators, derived once from Debian's fonts-noto-cjk.

Noto CJK ships as OpenType/CFF collections. ReportLab cannot embed CFF outlines at
all, and fpdf2 embeds them with an encoding CMap that pdfminer (hence pdfplumber)
cannot decode, so the text would not extract. We therefore subset one face of the
collection to the characters forms use (GB2312, ASCII, the radical look-alikes, and
every character of the seed texts and golden records) and convert the outlines to
TrueType quadratics. The result is cached on disk; building takes ~15 s per face.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Literal

from tests.synth.golden import REPO_ROOT, TRUTH_PATH

FontStyle = Literal["sans", "serif"]

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
_SOURCES: dict[str, tuple[str, int]] = {
    # file, face index of "Noto * CJK SC" inside the collection (JP, KR, SC, TC, HK)
    "sans": ("NotoSansCJK-Regular.ttc", 2),
    "serif": ("NotoSerifCJK-Regular.ttc", 2),
}
_BUILD_VERSION = "1"


def cache_dir() -> Path:
    root = os.environ.get("JIXIAO_FONT_CACHE") or Path.home() / ".cache" / "jixiao" / "fonts"
    return Path(root)


def _gb2312_chars() -> set[str]:
    out: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def _seed_chars() -> set[str]:
    texts = [TRUTH_PATH.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in (REPO_ROOT / "data" / "samples").rglob("*.txt")]
    return set("".join(texts))


@lru_cache(maxsize=1)
def charset() -> frozenset[str]:
    """Every character the generated fonts can draw."""
    chars = {chr(c) for c in range(0x20, 0x7F)} | _gb2312_chars() | _seed_chars()
    chars |= {chr(c) for c in range(0x2F00, 0x2FD6)}  # Kangxi radicals (WPS look-alikes)
    chars |= {chr(c) for c in range(0x2E80, 0x2EF4)}  # CJK radicals supplement
    chars |= set("≥≤≠±×÷％－—–…‰℃·•“”‘’、。，；：？！（）《》【】")
    return frozenset(c for c in chars if c.isprintable())


def font_path(style: FontStyle) -> Path:
    """Path of the converted TrueType font, building it on first use."""
    name, index = _SOURCES[style]
    digest = hashlib.sha1(("".join(sorted(charset())) + name + _BUILD_VERSION).encode()).hexdigest()[:10]
    target = cache_dir() / f"{Path(name).stem}-{index}-{digest}.ttf"
    if not target.exists():
        _build(NOTO_DIR / name, index, target)
    return target


def _build(source: Path, index: int, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=index, recalcTimestamp=False)
    opts = subset.Options()
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.desubroutinize = True
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(ord(c) for c in charset()))
    sub.subset(font)
    _cff_to_glyf(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    font.save(tmp, reorderTables=True)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is shared by every process
    os.replace(tmp, target)  # atomic: concurrent builders never see half a font


def _cff_to_glyf(font: "TTFont") -> None:  # noqa: F821 - fontTools imported lazily
    """Replace CFF (cubic) outlines by TrueType (quadratic) glyf outlines in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"], font["glyf"] = newTable("loca"), glyf
    del font["CFF "]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones, maxp.numGlyphs = 1, len(order)
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def missing_chars(texts: list[str]) -> set[str]:
    """Characters (other than whitespace) the generated fonts cannot draw."""
    have = charset()
    return {c for t in texts for c in t if c not in have and not c.isspace()}
