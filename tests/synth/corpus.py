"""A seeded synthetic corpus of realistic forms, for benchmarks at any scale.

`corpus_files(n_forms, seed)` yields files (a department's forms for one year, 1 to
`max_per_file` forms each) whose forms have 1–40 indicators, long wrapped names and
deviation texts, goals of several paragraphs, and figures that add up, except for a
deliberate share of forms carrying one inconsistency of the kinds the checks report.

Every file draws from its own `random.Random(f"{seed}:{index}")`, so the first N
files are the same whatever the corpus size, and any slice can be generated alone.
Names, targets and texts mix the golden records' real ones with generated variety.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from etl.checks import expected_grade
from etl.model import Form, FundingLine, Indicator
from tests.synth import corpus_vocab as V
from tests.synth.golden import golden_forms
from etl.targets import judge

YEARS: tuple[int, ...] = tuple(range(2018, 2025))
N_DEPARTMENTS = 200
FUNDING_WEIGHT = 10.0
# Share of forms with one deliberate inconsistency, and the kinds (see `_spoil`).
SPOIL_RATE = 0.12
PART_LINES = ("当年财政拨款", "上年结转资金", "其他资金")
SPOILS = ("score_total", "grade", "rate", "score_over", "missed_full", "no_reason", "parts", "weight_total")


@dataclass(frozen=True, slots=True)
class CorpusFile:
    index: int
    stem: str  # file name without suffix, unique in the corpus, ASCII
    year: int
    department: str
    forms: list[Form]


@dataclass(frozen=True, slots=True)
class Template:
    """An indicator as the golden records print it, reused verbatim."""

    level1: str
    level2: str
    name: str
    target: str
    actual: str
    met: bool  # as `etl.targets.judge` reads it; unjudgeable counts as met


def departments(n: int = N_DEPARTMENTS) -> list[str]:
    """n distinct department names: municipal bureaus first, then district bureaus."""
    names = [f"上海市{m}" for m in V.MUNICIPAL]
    names += [f"上海市{d}{f}局" for f in V.DISTRICT_FIELDS for d in V.DISTRICTS]
    if n > len(names):
        raise ValueError(f"at most {len(names)} departments")
    return names[:n]


@lru_cache(maxsize=1)
def golden_templates() -> tuple[Template, ...]:
    """The golden records' indicators with a plain met/unmet reading, as printed."""
    seen: dict[tuple[str, ...], Template] = {}
    for form in golden_forms():
        for i in form.indicators:
            if i.weight:  # drop the 0-weight 不适用 rows: generated separately
                t = Template(i.level1, i.level2, i.name, i.target, i.actual, judge(i).met is not False)
                seen.setdefault((t.level1, t.level2, t.name, t.target), t)
    return tuple(seen.values())


@lru_cache(maxsize=1)
def golden_texts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(deviation texts, goal sentences) from the golden records."""
    forms = golden_forms()
    deviations = {i.deviation for f in forms for i in f.indicators if i.deviation}
    sentences = {s.strip() + "。" for f in forms for g in (f.goal_expected, f.goal_actual)
                 for s in g.split("。") if 12 <= len(s.strip()) <= 80}
    return tuple(sorted(deviations)), tuple(sorted(sentences))


@lru_cache(maxsize=N_DEPARTMENTS)
def project_pool(department: str, seed: int) -> tuple[str, ...]:
    """A department's project names, in a fixed per-department order."""
    pool = [t + k for t in V.PROJECT_TOPICS for k in V.PROJECT_KINDS]
    random.Random(f"{seed}:{department}").shuffle(pool)
    return tuple(pool)


def project_name(department: str, seed: int, slot: int) -> str:
    pool = project_pool(department, seed)
    name = pool[slot % len(pool)]
    phase = slot // len(pool)
    return f"{name}（{phase + 1}期）" if phase else name


class Corpus:
    """The corpus for one seed: file `index` can be made alone, in any order, in any process."""

    def __init__(self, seed: int = 0, max_per_file: int = 6, n_departments: int = N_DEPARTMENTS) -> None:
        self.seed, self.max_per_file = seed, max_per_file
        # Files go round the department-years in a seeded order; a department's project
        # slots advance with each round, so no form repeats within a department and year.
        self.cells = [(d, y) for d in range(n_departments) for y in YEARS]
        random.Random(seed).shuffle(self.cells)
        self.departments = departments(n_departments)

    def file(self, index: int, limit: int | None = None) -> CorpusFile:
        """File number `index`; `limit` keeps only its first forms (the last file of a corpus)."""
        rng = random.Random(f"{self.seed}:{index}")
        dept_no, year = self.cells[index % len(self.cells)]
        department = self.departments[dept_no]
        first_slot = index // len(self.cells) * self.max_per_file
        n = rng.choices(range(1, self.max_per_file + 1), weights=_per_file_weights(self.max_per_file))[0]
        n = min(n, limit) if limit is not None else n
        forms = [make_form(rng, k + 1, year, department, project_name(department, self.seed, first_slot + k))
                 for k in range(n)]
        return CorpusFile(index, f"{index:06d}_{year}_d{dept_no:03d}", year, department, forms)


def corpus_files(n_forms: int, seed: int = 0, max_per_file: int = 6,
                 n_departments: int = N_DEPARTMENTS) -> Iterator[CorpusFile]:
    """Files holding exactly n_forms forms in all, deterministic for (seed, max_per_file, n_departments)."""
    corpus = Corpus(seed, max_per_file, n_departments)
    made = index = 0
    while made < n_forms:
        f = corpus.file(index, limit=n_forms - made)
        made += len(f.forms)
        index += 1
        yield f


def _per_file_weights(max_per_file: int) -> list[float]:
    return [1.0 / k for k in range(1, max_per_file + 1)]


def make_form(rng: random.Random, form_index: int, year: int, department: str, project: str) -> Form:
    unit = department if rng.random() < 0.7 else department + rng.choice(V.SUB_UNITS)
    funding = make_funding(rng)
    indicators = make_indicators(rng, indicator_count(rng))
    expected, actual = make_goals(rng, project)
    form = Form(form_index=form_index, page_start=1, page_end=1, year=year, project_name=project,
                department=department, implementing_unit=unit, funding=funding, goal_expected=expected,
                goal_actual=actual, indicators=indicators)
    settle_totals(form)
    if rng.random() < SPOIL_RATE:
        spoil(form, rng.choice(SPOILS), rng)
    return form


def indicator_count(rng: random.Random) -> int:
    """1–40, median 9, mean about 10: a few one-line forms and a few very long ones."""
    r = rng.random()
    if r < 0.02:
        return rng.randint(1, 3)
    if r < 0.04:
        return rng.randint(30, 40)
    return max(1, min(40, round(rng.lognormvariate(math.log(9), 0.4))))


# ---- funding -------------------------------------------------------------------------

def _split_cents(total: int, shares: list[float]) -> list[int]:
    """Split an amount in cents by shares; the parts add up exactly."""
    parts = [int(total * s) for s in shares[:-1]]
    return parts + [total - sum(parts)]


def _funding_line(line: str, initial: int, full: int, executed: int, weighted: bool) -> FundingLine:
    rate = round(executed / full * 100, 2) if full else 0.0
    weight = FUNDING_WEIGHT if weighted else None
    score = round(min(rate, 100.0) / 100 * FUNDING_WEIGHT, 2) if weighted else None
    return FundingLine(line, initial / 100, full / 100, executed / 100, weight, rate, score)


def make_funding(rng: random.Random) -> list[FundingLine]:
    """The four funding lines; parts add up to the total, amounts in 万元 with two decimals."""
    initial = int(min(5e4, rng.lognormvariate(math.log(80), 1.6)) * 100) + 100
    full = initial if rng.random() < 0.7 else int(initial * rng.uniform(0.6, 1.4))
    executed = int(full * (rng.uniform(0.9, 1.0) if rng.random() < 0.8 else rng.uniform(0.4, 0.9)))
    fiscal = rng.uniform(0.6, 1.0) if rng.random() < 0.5 else 1.0
    carry = rng.uniform(0, 1 - fiscal)
    shares = [fiscal, carry, 1 - fiscal - carry]
    parts = zip(_split_cents(initial, shares), _split_cents(full, shares), _split_cents(executed, shares),
                strict=True)
    lines = [_funding_line("年度资金总额", initial, full, executed, True)]
    lines += [_funding_line(name, *amounts, False) for name, amounts in zip(PART_LINES, parts, strict=True)]
    return lines


# ---- indicators ----------------------------------------------------------------------

def _weights(rng: random.Random, n: int, total: int = 90) -> list[float]:
    """n positive weights adding up to `total`: multiples of 5 for short forms, whole points else."""
    unit = 5 if n <= total // 5 // 2 else 1
    units = total // unit
    counts = [1] * n
    for _ in range(units - n):
        counts[rng.randrange(n)] += 1
    return [float(c * unit) for c in counts]


def _long_name(rng: random.Random, name: str, k: int) -> str:
    """Report engines often print a whole sentence as the indicator name."""
    obj = rng.choice(V.OBJECTS)
    return f"指标 {k}：通过组织开展{obj}等相关工作，{name}达到年度计划要求，确保{rng.choice(V.GOAL_RESULTS)}"


def _rate(rng: random.Random) -> tuple[str, str, float, float]:
    goal = float(rng.choice((80, 85, 90, 95, 98, 99, 100)))
    got = goal if goal == 100 else min(100.0, round(goal + rng.uniform(-6, 6), 1))
    return ("=" if goal == 100 else "≥"), "%", goal, got


def _count(rng: random.Random) -> tuple[str, str, float, float]:
    goal = float(rng.choice((1, 2, 3, 5, 10, 12, 20, 50, 100, 500, 1000)))
    op = rng.choice(("≥", "≥", "=", "≤"))
    got = float(max(0, round(goal * rng.uniform(0.8, 1.5)))) if op != "=" else goal
    return op, rng.choice(V.COUNT_UNITS), goal, got


def _numeric(rng: random.Random, rate: bool) -> tuple[str, str, bool]:
    """(target, actual, met) for a rate or a count, in one of the printed styles."""
    op, unit, goal, got = _rate(rng) if rate else _count(rng)
    met = got >= goal if op in ("≥", "=") else got <= goal
    if rng.random() < 0.6:
        return f"{op}{goal:.2f}({unit})", f"{got:.2f}({unit})", met
    return f"{op}{goal:g}{unit}", f"{got:g}{unit}", met


def _generated(rng: random.Random, level1: str, level2: str) -> tuple[str, str, str, bool]:
    """(name, target, actual, met) made up for a level2 category."""
    obj = rng.choice(V.OBJECTS)
    qualitative = 0.5
    if level1 == "满意度指标":
        name, qualitative = rng.choice(V.WHO) + "满意度", 0.2
    elif level1 == "效益指标" and rng.random() < 0.5:
        name, qualitative = rng.choice(V.IMPACTS), 0.9
    elif level1 == "效益指标":
        name = obj + rng.choice(("覆盖率", "知晓率", "受益率"))
    elif level2 == "数量指标":
        name, qualitative = obj + rng.choice(("次数", "数量", "人次", "场次")), 0.0
    elif level2 == "成本指标":
        name, qualitative = obj + "成本控制率", 0.7
    else:
        name = obj + rng.choice(V.RATE_METRICS)
    if rng.random() < qualitative:
        word = rng.choice(V.QUALITATIVE)
        met = rng.random() < 0.9
        actual = (rng.choice(("达成指标", word)) if met else "部分达成指标并具有一定效果")
        return name, word, actual, met
    target, actual, met = _numeric(rng, rate=level2 != "数量指标")
    return name, target, actual, met


def _deviation(rng: random.Random) -> str:
    golden, _ = golden_texts()
    if rng.random() < 0.3:
        return rng.choice(golden)
    parts = [f"{rng.choice(V.REASONS)}，{rng.choice(V.FIXES)}。" for _ in range(rng.choice((1, 1, 2, 3)))]
    return "".join(parts)


def make_indicators(rng: random.Random, n: int) -> list[Indicator]:
    """n indicators in printed order (grouped by level), weights adding up to 90."""
    templates = golden_templates()
    rows: list[tuple[str, str, str, str, str, bool]] = []
    for _ in range(n):
        if rng.random() < 0.3:
            t = rng.choice(templates)
            rows.append((t.level1, t.level2, t.name, t.target, t.actual, t.met))
        else:
            level1 = rng.choices(list(V.LEVELS), weights=(6, 3, 1))[0]
            level2 = rng.choice(V.LEVELS[level1])
            rows.append((level1, level2, *_generated(rng, level1, level2)))
    order = {name: k for k, name in enumerate(V.LEVELS)}
    rows.sort(key=lambda r: (order.get(r[0], 9), r[1]))
    out = []
    for k, (weight, (l1, l2, name, target, actual, met)) in enumerate(zip(_weights(rng, n), rows), start=1):
        if rng.random() < 0.08:
            name = _long_name(rng, name, k)
        score = weight if met else round(weight * rng.uniform(0.5, 0.95), 1)
        deviation = _deviation(rng) if score < weight or rng.random() < 0.03 else ""
        out.append(Indicator(k, l1, l2, name, target, actual, weight, score, deviation))
    return out


# ---- goals, totals, inconsistencies -------------------------------------------------

def _paragraph(rng: random.Random, project: str) -> str:
    _, sentences = golden_texts()
    own = (f"{rng.choice(V.GOAL_OPENERS)}，{rng.choice(V.GOAL_ACTIONS).format(obj=rng.choice(V.OBJECTS))}，"
           f"{project}{rng.choice(V.GOAL_RESULTS)}。")
    return own + "".join(rng.sample(sentences, rng.choice((0, 1, 2))))


def make_goals(rng: random.Random, project: str) -> tuple[str, str]:
    """(预期目标, 实际完成情况): one to four numbered paragraphs each."""
    def text(k: int) -> str:
        paras = [_paragraph(rng, project) for _ in range(k)]
        return paras[0] if k == 1 else "\n".join(f"{i}.{p}" for i, p in enumerate(paras, start=1))
    k = rng.choice((1, 1, 2, 3, 4))
    return text(k), text(max(1, k + rng.choice((-1, 0, 0, 1))))


def settle_totals(form: Form) -> None:
    """总分 and 评分等级 consistent with the rows."""
    total = form.funding_line("年度资金总额")
    fund_w = (total.weight or 0.0) if total else 0.0
    fund_s = (total.score or 0.0) if total else 0.0
    form.total_weight = round(sum(i.weight or 0 for i in form.indicators) + fund_w, 2)
    form.total_score = round(sum(i.score or 0 for i in form.indicators) + fund_s, 2)
    form.grade = expected_grade(form.total_score)


def spoil(form: Form, kind: str, rng: random.Random) -> None:
    """Introduce one inconsistency of the given kind, as real forms sometimes print."""
    ind = rng.choice(form.indicators)
    total = form.funding[0]
    match kind:
        case "score_total":
            form.total_score = round((form.total_score or 0) + rng.choice((-5, -2, 3, 5)), 2)
        case "grade":
            form.grade = rng.choice([g for g in ("优", "良", "中", "差") if g != form.grade])
        case "rate":
            total.execution_rate = round((total.execution_rate or 0) - rng.choice((1.0, 2.5, 10.0)), 2)
        case "score_over":  # totals follow the rows: only the row is wrong
            ind.score = (ind.weight or 0) + rng.choice((1.0, 2.0))
            settle_totals(form)
        case "missed_full":
            ind.target, ind.actual, ind.score = "≥95.00(%)", "90.00(%)", ind.weight
            settle_totals(form)
        case "no_reason":
            ind.score, ind.deviation = round((ind.weight or 0) * 0.5, 1), ""
            settle_totals(form)
        case "parts":
            form.funding[1].initial_budget = round((form.funding[1].initial_budget or 0) + 1.5, 2)
        case "weight_total":
            form.total_weight = 105.0
