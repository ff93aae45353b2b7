"""Separating the two goal columns (预期目标 | 实际完成情况) of the line-broken layout.

The extraction prints the left cell's lines, then the right cell's, page by page; when
the left cell has a single line it shares a text line with the right cell's first line.
The two columns wrap at different widths, so the left cell's full lines are the widest
lines of the block: the left cell ends at its last full-width line (plus the short
line closing its paragraph). Best effort: `split_goals` reports when it had to guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.readers.text_lines import Line, is_cjk, width

COMBINED_RATIO = 1.4  # a line this much wider than the rest holds both columns


@dataclass(slots=True)
class GoalPart:
    page: int
    expected: list[str]
    actual: list[str]


def column_width(blocks: list[list[Line]]) -> int | None:
    """The left column's full width, from the blocks of a document with at least 3 lines."""
    widths = [_plain_max(b) for b in blocks if len(b) >= 3]
    return min(widths) if widths else None


def _plain_max(block: list[Line]) -> int:
    ws = sorted((width(x.text) for x in block), reverse=True)
    return ws[1] if len(ws) > 1 and ws[0] > COMBINED_RATIO * ws[1] else ws[0]


def split_goals(block: list[Line], doc_width: int | None) -> tuple[list[GoalPart], bool]:
    """Per page, the left (expected) and right (actual) lines; second value: True if guessed."""
    if not block:
        return [], False
    full = doc_width if doc_width and any(width(x.text) >= doc_width for x in block) else _plain_max(block)
    parts: list[GoalPart] = []
    left_open, guessed = True, False
    pages = sorted({x.page for x in block})
    for page in pages:
        lines = [x.text for x in block if x.page == page]
        part, left_open, unsure = _split_page(lines, full, left_open, single=len(block) == 1)
        if page == pages[-1] and not part[1] and len(lines) > 1 and not any(p.actual for p in parts):
            part, unsure = _guess(lines, full), True  # nothing left for 实际完成情况: the cut was wrong
        parts.append(GoalPart(page, *part))
        guessed |= unsure
    return parts, guessed


def _split_page(lines: list[str], full: int, left_open: bool, *, single: bool
                ) -> tuple[tuple[list[str], list[str]], bool, bool]:
    """((left, right), left still open at the page end, guessed)."""
    combined = _combined_index(lines, full, single)
    if combined is not None:
        left, right = _split_line(lines[combined], full)
        return (lines[:combined] + [left], [right] + lines[combined + 1:]), False, False
    if not left_open:
        return ([], lines), False, False
    fulls = [i for i, t in enumerate(lines) if width(t) >= full]
    if not fulls:
        return _guess(lines, full), False, True
    end = fulls[-1]
    if end + 1 < len(lines) and width(lines[end + 1]) < full - 4:
        end += 1
    return (lines[:end + 1], lines[end + 1:]), end == fulls[-1], False


def _combined_index(lines: list[str], full: int, single: bool) -> int | None:
    for i, t in enumerate(lines):
        if " " in t.strip() and (width(t) > full + 4 or single):
            return i
    return None


def _split_line(text: str, full: int) -> tuple[str, str]:
    """Cut a line holding both columns at the space most likely to be the column gap."""
    text = text.strip()
    best, best_score = -1, float("-inf")
    for i, ch in enumerate(text):
        if ch != " " or i == 0 or i == len(text) - 1:
            continue
        before, after = text[i - 1], text[i + 1]
        score = 2.0 if is_cjk(after) or not after.isascii() else -2.0
        score += 1.0 if not before.isascii() else -1.0
        score -= 3.0 if width(text[:i]) > full else 0.0
        score += width(text[:i]) / 100  # prefer the rightmost of equal candidates
        if score > best_score:
            best, best_score = i, score
    if best < 0:
        return text, ""
    return text[:best].strip(), text[best + 1:].strip()


def _guess(lines: list[str], full: int) -> tuple[list[str], list[str]]:
    """No usable full-width line: cut after the paragraph end (else the line) nearest the
    middle of the text."""
    ends = [i for i, t in enumerate(lines[:-1]) if width(t) < full - 4] or list(range(len(lines) - 1))
    if not ends:
        return lines, []
    total = sum(len(t) for t in lines)
    cum = [sum(len(t) for t in lines[:i + 1]) for i in range(len(lines))]
    cut = min(ends, key=lambda i: abs(cum[i] - total / 2))
    return lines[:cut + 1], lines[cut + 1:]
