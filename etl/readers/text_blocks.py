"""Cutting line-broken text into the blocks of a form, anchored on printed labels.

`plan` walks the lines once and groups them into sections (title, label lines,
funding block, goals, indicator header, table body, totals, grade, free text); the
emitters in `text_rows` then turn each section into grid rows. Anything that fits no
section becomes a one-cell free row, so no text is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from etl.normalize import label_key
from etl.parse import vocab
from etl.readers.text_lines import Anchor, Line, find_anchor, is_cjk_word, tokens, width


class Kind(Enum):
    FREE = "free"
    TITLE = "title"
    YEAR = "year"
    LABELS = "labels"
    FUNDING = "funding"
    GOALS = "goals"
    HEADER = "header"
    TABLE = "table"
    TOTAL = "total"
    GRADE = "grade"


@dataclass(slots=True)
class Section:
    kind: Kind
    lines: list[Line]
    # GOALS: the label fragments; HEADER: fragments before / after the header line.
    head: list[Line] = field(default_factory=list)
    tail: list[Line] = field(default_factory=list)


LEVEL_WORDS = "一级指标二级指标"
DEVIATION_WORDS = "偏差原因分析及改进措施"
_LABELS = (vocab.PROJECT, vocab.DEPARTMENT, vocab.UNIT)
_FUND_CORE = ("initial_budget", "full_year_budget", "executed", "execution_rate")
_IND_CORE = ("name", "target", "actual", "weight", "score")


def classify(text: str) -> Kind | None:
    key = label_key(text)
    if vocab.is_title(text):
        return Kind.TITLE
    if vocab.year_of(text, line_only=True):
        return Kind.YEAR
    if any(key.startswith(label) for label in _LABELS):
        return Kind.LABELS
    if key.startswith(vocab.FUNDING_BLOCK) or _fields(text, vocab.FUNDING_HEADER, _FUND_CORE) >= 2:
        return Kind.FUNDING
    if vocab.GOAL_EXPECTED in key and vocab.GOAL_ACTUAL in key:
        return Kind.GOALS
    if _fields(text, vocab.INDICATOR_HEADER, _IND_CORE) >= 3:
        return Kind.HEADER
    first = text.split()[0] if text.split() else ""
    if vocab.is_total_label(first):
        return Kind.TOTAL
    if key.startswith(vocab.GRADE):
        return Kind.GRADE
    return None


def _fields(text: str, table: dict[str, tuple[str, ...]], core: tuple[str, ...]) -> int:
    found = {vocab.header_field(t, table) for t in text.split()}
    return len(found & set(core))


def plan(lines: list[Line]) -> list[Section]:
    kinds = [classify(x.text) for x in lines]
    out: list[Section] = []
    i = 0
    while i < len(lines):
        i = _step(lines, kinds, i, out)
    return out


def _step(lines: list[Line], kinds: list[Kind | None], i: int, out: list[Section]) -> int:
    kind = kinds[i]
    if kind in (Kind.TITLE, Kind.YEAR):
        out.append(Section(kind, [lines[i]]))
        return i + 1
    if kind in (Kind.TOTAL, Kind.GRADE):
        end = i + 2 if _value_below(lines, kinds, i) else i + 1
        out.append(Section(kind, lines[i:end]))
        return end
    if kind is Kind.LABELS:
        end = _run(kinds, i + 1, limit=3)
        out.append(Section(Kind.LABELS, lines[i:end]))
        return end
    if kind is Kind.FUNDING:
        return _funding(lines, kinds, i, out)
    if kind is Kind.GOALS:
        return _goals(lines, kinds, i, [], out)
    if kind is Kind.HEADER:
        return _header(lines, kinds, i, [], out)
    frag_end = _fragments_end(lines, kinds, i)
    if frag_end < len(lines) and kinds[frag_end] is Kind.GOALS:
        return _goals(lines, kinds, frag_end, lines[i:frag_end], out)
    if frag_end < len(lines) and kinds[frag_end] is Kind.HEADER and _is_level_words(lines[i:frag_end]):
        return _header(lines, kinds, frag_end, lines[i:frag_end], out)
    out.append(Section(Kind.FREE, [lines[i]]))
    return i + 1


def _value_below(lines: list[Line], kinds: list[Kind | None], i: int) -> bool:
    """A bare 总分 / 评分等级 label whose value sits alone on the next line."""
    if len(lines[i].text.split()) > 1 or i + 1 >= len(lines) or kinds[i + 1] is not None:
        return False
    below = lines[i + 1].text
    if kinds[i] is Kind.GRADE:
        return width(below) <= 6
    return all(vocab.is_number(t) or vocab.is_dash(t) for t in below.split())


def _run(kinds: list[Kind | None], i: int, limit: int) -> int:
    """End of the unclassified lines from i (at most `limit`)."""
    end = i
    while end < len(kinds) and kinds[end] is None and end - i < limit:
        end += 1
    return end


def _fragments_end(lines: list[Line], kinds: list[Kind | None], i: int) -> int:
    """End of a run of short CJK-only lines (wrapped label cells such as 年度/总体/目标)."""
    end = i
    while end < len(lines) and kinds[end] is None and _short_word(lines[end].text) and end - i < 6:
        end += 1
    return end


def _short_word(text: str) -> bool:
    return is_cjk_word(text.replace(" ", "")) and width(text) <= 12


def _is_level_words(frags: list[Line]) -> bool:
    joined = label_key("".join(x.text for x in frags))
    return bool(joined) and LEVEL_WORDS.endswith(joined)


def _funding(lines: list[Line], kinds: list[Kind | None], i: int, out: list[Section]) -> int:
    """The funding block: label fragments, header line, then label/number lines."""
    end, numeric_rows = i + 1, 0
    while end < len(lines) and numeric_rows < 6:
        kind = kinds[end]
        if kind not in (None, Kind.FUNDING):
            break
        if kind is None and values_count(lines[end].text) >= 3:
            numeric_rows += 1
        elif kind is None and numeric_rows >= 4:
            break
        end += 1
    # Trailing label fragments with no numbers belong to what follows (年度/总体/目标).
    while end > i + 1 and kinds[end - 1] is None and values_count(lines[end - 1].text) < 3 \
            and end < len(lines) and kinds[end] is Kind.GOALS:
        end -= 1
    out.append(Section(Kind.FUNDING, lines[i:end]))
    return end


def values_count(text: str) -> int:
    """Trailing number-or-dash tokens of a line."""
    count = 0
    for tok in reversed(text.split()):
        if not (vocab.is_number(tok) or vocab.is_dash(tok)):
            break
        count += 1
    return count


def _goals(lines: list[Line], kinds: list[Kind | None], i: int, head: list[Line], out: list[Section]) -> int:
    end = i + 1
    while end < len(lines) and kinds[end] is None:
        end += 1
    body_end = end
    if end < len(lines) and kinds[end] is Kind.HEADER:
        while body_end > i + 1 and _is_level_words(lines[body_end - 1:end]):
            body_end -= 1
    out.append(Section(Kind.GOALS, lines[i:body_end], head=head))
    if end < len(lines) and kinds[end] is Kind.HEADER:
        return _header(lines, kinds, end, lines[body_end:end], out)
    return body_end


def _header(lines: list[Line], kinds: list[Kind | None], i: int, head: list[Line], out: list[Section]) -> int:
    tail_end = i + 1
    while tail_end < len(lines) and kinds[tail_end] is None and _deviation_words(lines[i + 1:tail_end + 1]):
        tail_end += 1
    out.append(Section(Kind.HEADER, [lines[i]], head=head, tail=lines[i + 1:tail_end]))
    end = tail_end
    while end < len(lines) and kinds[end] is None:
        end += 1
    if end > tail_end:
        out.append(Section(Kind.TABLE, lines[tail_end:end]))
    return end


def _deviation_words(frags: list[Line]) -> bool:
    joined = label_key("".join(x.text for x in frags))
    return bool(joined) and DEVIATION_WORDS.startswith(joined)


def table_pieces(section: Section) -> list[str]:
    """Every token of a table body (for estimating the name column's width)."""
    return [t for x in section.lines for t in tokens(x.text)]


def anchors(section: Section) -> list[Anchor]:
    return [a for x in section.lines if (a := find_anchor(x.text))]
