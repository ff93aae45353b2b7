"""A scanned page as geometry: cleaned, deskewed, its ruled tables as cell grids, its text lines.

Steps, all OpenCV on one grey image:
- a colour page is read through its red channel, so a red seal (实施单位盖章) over figures
  fades into the paper while black print stays black;
- Otsu binarisation, speckle (tiny blobs) dropped;
- skew found by projection profiles (the angle at which row sums are most peaked) and undone;
- ruling lines by morphology (opening with long thin kernels), cut into segments;
- each table's grid is the clustered line positions; two neighbouring grid boxes belong to
  one merged cell when the rule between them is missing;
- text lines inside each cell (and outside tables) by horizontal ink projection.
Coordinates are pixels of the deskewed page; the image reader converts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

cv2.setNumThreads(1)  # the ingest runs one worker per core; OpenCV's own pool would oversubscribe

Box = tuple[int, int, int, int]  # x0, top, x1, bottom (pixels)

MAX_SKEW = 2.0  # degrees searched either way
# Sizes below are pixels at 200 dpi and scale with the page's resolution.
SPECKLE_AREA = 6  # blobs this small (pixels) are scanner noise, not print (a decimal point is ~9)
LINE_TOL = 6  # rule positions closer than this (pixels) are one grid line
RULE_COVER = 0.6
SEAL_REDNESS = 30  # red minus the larger of green and blue
SEAL_PRINT = 90  # luminance below which a reddish pixel is print under the seal (seal ink is ~120)
MIN_RUN_INK = 12  # ink pixels: a lone mark smaller than this (and apart from text) is noise
MAX_LINE = 34  # pixels: no line of table text is taller (9-10 pt print is ~26 px high)


@dataclass(slots=True)
class Page:
    grey: np.ndarray  # deskewed, seal and speckle whitened, uint8
    ink: np.ndarray  # uint8 0/255, text and rules
    skew: float  # degrees the scan was rotated by
    dpi: float  # estimated from the page width (A4)

    @property
    def min_ink(self) -> int:
        return max(3, round(MIN_RUN_INK * (self.dpi / 200) ** 2))

    @property
    def max_line(self) -> int:
        return round(MAX_LINE * self.dpi / 200)


@dataclass(slots=True)
class GridCell:
    box: Box
    row: int  # grid row/column of the top-left box
    col: int
    rowspan: int = 1
    colspan: int = 1
    lines: list[Box] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    box: Box
    xs: list[int]
    ys: list[int]
    cells: list[GridCell]


def prepare(image: np.ndarray) -> Page:
    """Grey, seal-free, deskewed, speckle-free page from a BGR or grey scan."""
    grey = _without_seal(image) if image.ndim == 3 else image
    skew = estimate_skew(_binarise(grey))
    if abs(skew) > 0.02:
        grey = rotate(grey, skew)
    dpi = page_dpi(grey.shape)
    ink = _despeckle(_binarise(grey), max(1, round(SPECKLE_AREA * (dpi / 200) ** 2)))
    clean = np.where(ink > 0, grey, 255).astype(np.uint8)
    return Page(clean, ink, skew, dpi)


def page_dpi(shape: tuple[int, ...]) -> float:
    """Resolution of a scanned A4 page (portrait or landscape) from its pixel width."""
    h, w = shape[:2]
    return w / (8.27 if h >= w else 11.69)


def straighten(image: np.ndarray) -> tuple[np.ndarray, float]:
    """The scan (BGR or grey) rotated as `prepare` rotates it, for showing boxes over it."""
    grey = _without_seal(image) if image.ndim == 3 else image
    skew = estimate_skew(_binarise(grey))
    return (rotate(image, skew) if abs(skew) > 0.02 else image), skew


def _without_seal(bgr: np.ndarray) -> np.ndarray:
    """The red channel (red ink is nearly as light as paper there), with reddish pixels judged
    by their luminance instead: print under a seal is dark in luminance, which JPEG keeps at
    full resolution (its colour is blurred over 2x2 pixels, which turns a decimal point under a
    seal red); the seal's own strokes are mid-grey in luminance and become paper.
    """
    b, g, r = cv2.split(bgr)
    seal = cv2.subtract(r, cv2.max(g, b)) > SEAL_REDNESS  # saturating: never below 0
    out = r.copy()
    pb, pg, pr = (c[seal].astype(np.float64) for c in (b, g, r))  # few pixels: judged one by one
    luma = (0.299 * pr + 0.587 * pg + 0.114 * pb).astype(np.uint8)
    out[seal] = np.where(luma < SEAL_PRINT, luma, 255)
    return out


def _binarise(grey: np.ndarray) -> np.ndarray:
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _despeckle(ink: np.ndarray, area: int) -> np.ndarray:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.where(stats[:, cv2.CC_STAT_AREA] > area, 255, 0).astype(np.uint8)
    keep[0] = 0
    return keep[labels]  # a uint8 table looked up per pixel (3x faster than a bool one and a where)


def rotate(img: np.ndarray, degrees: float) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    border = (255, 255, 255) if img.ndim == 3 else 255
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def estimate_skew(ink: np.ndarray) -> float:
    """Angle (degrees, counter-clockwise) maximising the variance of row sums; coarse then fine."""
    def scorer(factor: int):
        small = cv2.resize(ink, (ink.shape[1] // factor, ink.shape[0] // factor), interpolation=cv2.INTER_AREA)

        def score(a: float) -> float:
            h, w = small.shape
            m = cv2.getRotationMatrix2D((w / 2, h / 2), a, 1.0)
            rows = cv2.reduce(cv2.warpAffine(small, m, (w, h)), 1, cv2.REDUCE_SUM, dtype=cv2.CV_32F)
            return float(np.var(rows))
        return score

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-6, 0.25), key=scorer(4))
    return float(max(np.arange(best - 0.25, best + 0.25 + 1e-6, 0.05), key=scorer(2)))


def rule_masks(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) rule pixels: what survives opening with long thin kernels."""
    h, w = ink.shape
    hk = cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 40), 1))
    vk = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // 60)))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, hk)
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, vk)
    return horiz, vert


def find_tables(ink: np.ndarray) -> list[Table]:
    horiz, vert = rule_masks(ink)
    frame = cv2.dilate(horiz | vert, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(frame, connectivity=8)
    tables = []
    for x, y, w, h, _area in stats[1:]:
        if w < ink.shape[1] * 0.2 or h < 30:
            continue
        box = (int(x), int(y), int(x + w), int(y + h))
        table = _grid(horiz, vert, box)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.box[1])


def _positions(mask: np.ndarray, axis: int, min_len: int) -> list[int]:
    """Clustered positions of rules in a mask crop: axis 0 -> y of horizontal rules, 1 -> x of vertical."""
    counts = (mask > 0).sum(axis=1 - axis)
    hits = np.flatnonzero(counts >= min_len)
    out: list[list[int]] = []
    for v in hits:
        if out and v - out[-1][-1] <= LINE_TOL:
            out[-1].append(int(v))
        else:
            out.append([int(v)])
    return [int(round(sum(g) / len(g))) for g in out]


def _grid(horiz: np.ndarray, vert: np.ndarray, box: Box) -> Table | None:
    x0, y0, x1, y1 = box
    hcrop, vcrop = horiz[y0:y1, x0:x1], vert[y0:y1, x0:x1]
    ys = [y0 + v for v in _positions(hcrop, 0, 20)]
    xs = [x0 + v for v in _positions(vcrop, 1, 20)]
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _ruled(vert, xs[c + 1], ys[r], ys[r + 1], vertical=True):
                parent[find(r * nc + c + 1)] = find(r * nc + c)
            if r + 1 < nr and not _ruled(horiz, ys[r + 1], xs[c], xs[c + 1], vertical=False):
                parent[find((r + 1) * nc + c)] = find(r * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0, c0 = min(m[0] for m in members), min(m[1] for m in members)
        r1, c1 = max(m[0] for m in members) + 1, max(m[1] for m in members) + 1
        cells.append(GridCell((xs[c0], ys[r0], xs[c1], ys[r1]), r0, c0, r1 - r0, c1 - c0))
    return Table((xs[0], ys[0], xs[-1], ys[-1]), xs, ys, sorted(cells, key=lambda g: (g.row, g.col)))


def _ruled(mask: np.ndarray, at: int, lo: int, hi: int, *, vertical: bool) -> bool:
    """Whether a rule runs along `at` between lo and hi (its middle part, ends excluded)."""
    pad = max(2, (hi - lo) // 8)
    lo, hi = lo + pad, hi - pad
    if hi <= lo:
        return True
    band = mask[lo:hi, max(0, at - 3):at + 4] if vertical else mask[max(0, at - 3):at + 4, lo:hi]
    inked = (band > 0).any(axis=1 if vertical else 0)
    return float(inked.mean()) >= RULE_COVER


def text_lines(ink: np.ndarray, box: Box, inset: int = 4, min_gap: int = 2, min_ink: int = MIN_RUN_INK,
               max_line: int = 0) -> list[Box]:
    """Text lines inside `box` (rules at its edges excluded), top to bottom, trimmed to their ink;
    `max_line` (pixels, 0: any) bounds the height of a line joined from thin bands."""
    x0, y0, x1, y1 = box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset
    if x1 <= x0 or y1 <= y0:
        return []
    crop = ink[y0:y1, x0:x1] > 0
    rows = np.flatnonzero(crop.any(axis=1))
    if rows.size == 0:
        return []
    bands: list[list[int]] = [[int(rows[0]), int(rows[0])]]
    for r in rows[1:]:
        if r - bands[-1][1] <= min_gap:
            bands[-1][1] = int(r)
        else:
            bands.append([int(r), int(r)])
    out = []
    for top, bottom in _merge_thin(bands, max_line):
        span = _ink_span(crop[top:bottom + 1], min_ink)
        if span is not None:
            out.append((x0 + span[0], y0 + top, x0 + span[1], y0 + bottom + 1))
    return out


def _ink_span(band: np.ndarray, min_ink: int) -> tuple[int, int] | None:
    """Horizontal extent of a band's text, dropping lone specks apart from it; None if only specks."""
    counts = band.sum(axis=0)
    cols = np.flatnonzero(counts)
    gap = max(3, band.shape[0])  # wider than a character gap
    runs: list[list[int]] = []
    for c in cols:
        if runs and c - runs[-1][1] <= gap:
            runs[-1][1] = int(c)
        else:
            runs.append([int(c), int(c)])
    kept = [r for r in runs if counts[r[0]:r[1] + 1].sum() >= min_ink]
    return (kept[0][0], kept[-1][1] + 1) if kept else None


def _merge_thin(bands: list[list[int]], max_line: int = 0) -> list[tuple[int, int]]:
    """Join bands too thin to be a line of text (a lone stroke of 二 or 三) to their nearer neighbour,
    unless the joined band would be taller than a line: then the thin band is a line of its own
    (closing quotes ”” wrapped onto the next line sit high and thin; joined to the line above
    they would be read as part of it, and lost)."""
    if not bands:
        return []
    tallest = max(b - t + 1 for t, b in bands)
    out = [list(bands[0])]
    for t, b in bands[1:]:
        prev = out[-1]
        if (b - t + 1) < tallest * 0.45 or (prev[1] - prev[0] + 1) < tallest * 0.45:
            if t - prev[1] < tallest * 0.5 and (not max_line or b - prev[0] + 1 <= max_line):
                prev[1] = b
                continue
        out.append([t, b])
    return [(t, b) for t, b in out]


def free_lines(ink: np.ndarray, tables: list[Table], min_ink: int = MIN_RUN_INK, max_line: int = 0) -> list[Box]:
    """Text lines outside every table, as full-width bands trimmed to their ink."""
    rest = ink.copy()
    for t in tables:
        x0, y0, x1, y1 = t.box
        rest[max(0, y0 - 4):y1 + 5, max(0, x0 - 4):x1 + 5] = 0
    return text_lines(rest, (0, 0, ink.shape[1], ink.shape[0]), inset=0, min_gap=4, min_ink=min_ink,
                      max_line=max_line)


def crop(grey: np.ndarray, box: Box, pad: int = 4, min_h: int = 0) -> np.ndarray:
    """A line crop with a white margin, as the recogniser likes it; a line lower than `min_h`
    (a lone `-`) is centred in a crop of text height, so it keeps its shape once scaled."""
    x0, y0, x1, y1 = box
    part = grey[y0:y1, x0:x1]
    extra = max(0, min_h - (y1 - y0))
    top, bottom = pad + extra // 2, pad + extra - extra // 2
    return cv2.copyMakeBorder(part, top, bottom, pad, pad, cv2.BORDER_CONSTANT, value=255)
