"""Deciding which text pieces between two indicator rows belong to which cell.

Between the `weight score` pair of row k-1 and that of row k the extraction holds, in
column order: the rest of row k-1's deviation cell, then row k's category fragments
(only where a merged category cell starts), name, target and actual. Pieces on one
line separated by a space are certainly different cells; pieces on separate lines
may be one wrapped cell. `best_split` tries every cut within small bounds and scores
each by wrap evidence (`continues`): full-width lines and open brackets go on, short
lines and closed values end a cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from etl.readers.text_lines import Piece, continues, is_cjk_word, width

NEG = -10_000.0
MAX_DEV, MAX_CATS, MAX_VALUE = 12, 10, 6


@dataclass(frozen=True, slots=True)
class Widths:
    """Full widths (half-width units) of the line-broken table's columns."""

    cat: int = 4
    name: int = 28
    narrow: int = 12
    dev: int = 18


@dataclass(frozen=True, slots=True)
class Split:
    dev: int  # leading pieces that continue the previous row's deviation
    cats: int  # then category fragments
    target: int  # trailing pieces: target then actual
    actual: int
    score: float


class _Costs:
    """Prefix sums over the pieces, so each candidate cell is scored in O(1)."""

    def __init__(self, pieces: list[Piece], w: Widths) -> None:
        self.p = pieces
        n = len(pieces)
        self.space = list(accumulate((1 if b and pieces[b].after_space else 0 for b in range(n)), initial=0))
        self.full = {"name": w.name, "narrow": w.narrow, "dev": w.dev}
        self.cont = {k: [continues(pieces[b - 1].text, pieces[b].text, f) if b else 0 for b in range(n)]
                     for k, f in self.full.items()}
        self.sums = {k: list(accumulate(v, initial=0)) for k, v in self.cont.items()}
        self.wide = {k: list(accumulate((width(x.text) > f + 2 for x in pieces), initial=0))
                     for k, f in self.full.items()}
        self.catbad = list(accumulate((not (is_cjk_word(x.text) and width(x.text) <= w.cat) for x in pieces),
                                      initial=0))

    def cell(self, s: int, e: int, kind: str) -> float:
        """Score of pieces[s:e] as one cell of `kind`; NEG when impossible."""
        if e <= s:
            return 0.0
        if self.space[e] - self.space[s + 1] or self.wide[kind][e] - self.wide[kind][s]:
            return NEG
        return float(self.sums[kind][e] - self.sums[kind][s + 1])

    def cut(self, b: int, kind: str) -> float:
        """Score of a cell boundary before pieces[b], the left cell being `kind`."""
        if b <= 0 or b >= len(self.p) or self.p[b].after_space:
            return 0.0
        return -float(self.cont[kind][b])

    def cats_ok(self, s: int, e: int) -> bool:
        return self.catbad[e] == self.catbad[s]


def category_groups(pieces: list[Piece]) -> list[str]:
    """Category fragments grouped into cells: a space or a completed `…标` word ends a cell."""
    groups: list[str] = []
    cur = ""
    for p in pieces:
        if cur and p.after_space:
            groups.append(cur)
            cur = ""
        cur += p.text
        if is_category(cur):
            groups.append(cur)
            cur = ""
    if cur:
        groups.append(cur)
    return groups


def _cats_score(pieces: list[Piece], first_row: bool) -> float:
    if not pieces:
        return -6.0 if first_row else 0.0
    groups = category_groups(pieces)
    score = sum(2.0 if is_category(g) else -3.0 for g in groups)
    return score - 2.0 * max(0, len(groups) - 2)


def is_category(text: str) -> bool:
    """A whole category word: ends in 标 (…指标), with no 指标 inside (not two cells run together)."""
    return text.endswith("标") and len(text) >= 3 and "指标" not in text[:-2]


def best_split(pieces: list[Piece], w: Widths, *, dev_before: Piece | None,
               allow_dev: bool, first_row: bool) -> Split:
    """The most plausible cut of `pieces` (see module doc). `dev_before`: the previous
    row's deviation text printed on its numbers line, if any."""
    costs = _Costs(pieces, w)
    n = len(pieces)
    best = Split(0, 0, 0, 0, NEG * 10)
    for j in range(min(n, MAX_DEV) + 1 if allow_dev else 1):
        dev = _dev_score(costs, j, dev_before, w)
        if dev <= NEG:
            break
        for c in range(min(n - j, MAX_CATS) + 1):
            if not costs.cats_ok(j, j + c):
                break
            head = dev + _cats_score(pieces[j:j + c], first_row)
            best = _best_values(costs, j + c, head, best, j, c)
    return best


def _dev_score(costs: _Costs, j: int, dev_before: Piece | None, w: Widths) -> float:
    if j == 0:
        if dev_before is None or not costs.p:
            return 0.0
        return -float(continues(dev_before.text, costs.p[0].text, w.dev))
    inner = costs.cell(0, j, "dev")
    if inner <= NEG:
        return NEG
    joined = continues(dev_before.text, costs.p[0].text, w.dev) if dev_before else -3
    return inner + joined + costs.cut(j, "dev")


def _best_values(costs: _Costs, start: int, head: float, best: Split, j: int, c: int) -> Split:
    """Try every (target, actual) tail after `start`; the name takes what lies between."""
    n = len(costs.p)
    for t in range(min(n - start, MAX_VALUE) + 1):
        for a in range(min(n - start - t, MAX_VALUE) + 1):
            name_end = n - t - a
            score = head + _cells_score(costs, start, name_end, n - a, n)
            if score > best.score:
                best = Split(j, c, t, a, score)
    return best


def _cells_score(costs: _Costs, s: int, name_end: int, target_end: int, n: int) -> float:
    parts = ((s, name_end, "name", 10.0), (name_end, target_end, "narrow", 6.0), (target_end, n, "narrow", 6.0))
    score = 0.0
    for lo, hi, kind, empty in parts:
        if hi <= lo:
            score -= empty
            continue
        inner = costs.cell(lo, hi, kind)
        if inner <= NEG:
            return NEG
        score += inner + (costs.cut(hi, kind) if hi < n else 0.0)
    return score
