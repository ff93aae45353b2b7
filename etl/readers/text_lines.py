"""Lines of a line-broken text extraction, and the small measurements made on them.

In the line-broken layout (pdfplumber/pypdf-style `extract_text` output) table cells
are emitted one after another; text of narrow cells wraps onto its own lines, and
neighbouring cells that share a baseline end up on one line, separated by spaces.
Widths are measured in half-width units (a CJK character counts 2), the unit in which
a wrapped column has a roughly constant width.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from etl.parse.vocab import is_number


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    page: int


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text that belongs to one cell: a whole line or one space-separated part."""

    text: str
    page: int
    after_space: bool = False  # same line as the previous piece: a certain cell boundary


def width(text: str) -> int:
    """Display width: wide, full-width and ambiguous (CJK quotes, ≥) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")
_PUNCT = re.compile(r"[\u3000-\u303f\uff00-\uffef“”‘’]")
_OPEN = "(（[【《“"
_CLOSE = ")）]】》”"
_STARTS_CELL = "≥≤=<>＞＜"


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def is_cjk_word(text: str) -> bool:
    """Only CJK ideographs: what the wrapped fragments of a category cell look like."""
    return bool(text) and all(is_cjk(ch) for ch in text)


def unbalanced(text: str) -> bool:
    """An opening bracket or quote without its closing one: the cell text goes on."""
    return sum(text.count(c) for c in _OPEN) > sum(text.count(c) for c in _CLOSE)


def tokens(text: str) -> list[str]:
    """Split a line at spaces that separate cells.

    Extraction puts a space before a half-width run that follows CJK text
    (`指标 1：`, `超 1000人`); such spaces stay inside the token.
    """
    out: list[str] = []
    for part in text.split():
        if out and _glued(out[-1], part):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def _glued(prev: str, nxt: str) -> bool:
    last, first = prev[-1], nxt[0]
    cjk_before = is_cjk(last) or bool(_PUNCT.match(last))
    return cjk_before and first.isascii() and first.isalnum()


@dataclass(frozen=True, slots=True)
class Anchor:
    """A line carrying an indicator's `weight score` pair."""

    prefix: list[str]  # tokens before the pair (category words, name, target, actual)
    weight: str
    score: str
    suffix: str  # text after the pair: the first line of the deviation cell


def find_anchor(text: str) -> Anchor | None:
    """The last pair of adjacent plain numbers on a line, with what precedes and follows."""
    parts = text.split()
    for i in range(len(parts) - 2, -1, -1):
        if is_number(parts[i]) and is_number(parts[i + 1]):
            rest = parts[i + 2:]
            if rest and is_number(rest[0]):
                continue
            return Anchor(tokens(" ".join(parts[:i])), parts[i], parts[i + 1], " ".join(rest))
    return None


def starts_cell(text: str) -> bool:
    """Text that can only open a cell: a comparison operator or a closing mark cannot wrap onto it."""
    return bool(text) and text[0] in _STARTS_CELL


def continues(prev: str, nxt: str, full: int) -> int:
    """Evidence (positive) that `nxt` is the wrapped continuation of `prev` in a column `full` wide."""
    score = 0
    if unbalanced(prev):
        score += 6
    if nxt and nxt[0] in _CLOSE + "，。、；：,.;:":
        score += 6
    if starts_cell(nxt):
        score -= 4
    if prev and prev[-1] in "、，,：:；;" + _OPEN:
        score += 2
    elif prev and prev[-1] in "。" + _CLOSE and not unbalanced(prev):
        score -= 2
    w = width(prev)
    if w >= full - 3:
        score += 2
    elif w <= full - 6:
        score -= 3
    return score
