"""Text-line recognition for scanned pages: crops of single text lines in, (text, confidence) out.

The grid finder (ocr_grid) already knows where every text line of every cell is, so only
the recognition model runs, never a text detector: that is most of the speed. The default
engine is the PP-OCRv4 recogniser bundled inside the `rapidocr-onnxruntime` wheel (the
.onnx files ship in the package: nothing is downloaded), its graph simplified exactly on
loading (ocr_model: a third less time), run on one onnxruntime thread because the ingest
already runs one worker per core. `TesseractEngine` (Debian's
tesseract-ocr-chi-sim) reads the same crops for comparison (bench/ocr.py).

Confidence is the lowest per-character probability of a line, not the mean: one doubtful
digit is what makes a figure doubtful; a place where a character was likelier than none but
none was read counts as a doubtful character too.
"""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

Line = tuple[str, float]  # recognised text, confidence 0-1

REC_HEIGHT = 48  # the PP-OCR recogniser's input height
# One crop per run at its own width: the recogniser's cost grows with the input's width and
# hardly at all per call (measured: batches of 8 cost the same per line as single runs, and
# padding short crops to the widest of a batch only adds width).
MIN_RATIO = 1.0
# Long lines (paragraphs, long names) are narrowed to this share of their width first: the
# recogniser's cost grows with width and such print has room to spare (about 1/3 less time on
# them, same text on the golden scans' 2,703 lines). Short lines, where figures are, are left
# alone: narrowed, runs of one digit (500000) lose a digit to CTC's merging of repeats, and
# from a ratio of 6 on a bracket's width is no longer measured right (培训(参会)).
SQUEEZE, SQUEEZE_FROM = 0.7, 8.0  # factor; from this width/height ratio on


_CJK = "\u4e00-\u9fff"
_OPEN_CJK = re.compile(f"([{_CJK}])(\\s*)[(（]([{_CJK}][^()（）]*?)[)）]")
_COLON = re.compile(f"([{_CJK}][0-9]*)([:;])")
_FULL_STOP = re.compile(f"(?<=[{_CJK}])[oO](?=$|\\n|[{_CJK}])")  # a recogniser reads 。 as o
_OPEN_NUM = re.compile(r"([0-9%])\s*[(（]\s*([^()（）\n]*?)\s*[)）]")
_IS_CJK = re.compile(f"[{_CJK}]")
# A punctuation mark between two characters spans, from the middle of one to the middle of
# the other, about 2 Chinese character pitches when full-width (1.6-2.5 measured on the golden
# scans) and 1-1.5 when half-width.
FULL_WIDTH_SPAN = 1.6
_HALF, _FULL = "(),:;", "（），：；"
SKIP_BELOW = 0.5  # blank probability below which a frame probably held an unread character
_PAIRED = "()（）"  # measured between any two characters; the rest only between Chinese ones


def punctuation_by_context(text: str, measured: bool = False) -> str:
    """Brackets and colons as Chinese print sets them, where a recogniser cannot see their
    width. Applied to a whole cell (lines joined by newlines), so a bracket wrapped onto the
    next line is seen.

    Around Chinese words after a Chinese character brackets are full-width (实习（上海）);
    after a figure, around a unit, half-width (1.00(个), 95(%)). With `measured` (the engine
    set the width of every bracket between two characters from their spacing), only pairs with
    a bracket at a line's edge, and colons not between Chinese characters, follow the rule. A colon or semicolon after
    Chinese text (其中：, 指标1：, 责任；) is full-width; 11:40 stays as read. A Latin `o` after
    a Chinese character, ending the line or followed by another, is the full stop 。.
    """
    text = _FULL_STOP.sub("。", text)
    text = _COLON.sub(lambda m: m.group(0) if measured and _between_cjk(text, m)
                      else m.group(1) + ("：" if m.group(2) == ":" else "；"), text)
    text = _OPEN_CJK.sub(lambda m: f"{m.group(1)}{m.group(2)}（{m.group(3)}）"
                         if not measured or _at_line_edge(text, m) else m.group(0), text)
    return _OPEN_NUM.sub(lambda m: f"{m.group(1)}({m.group(2)})", text)


def _between_cjk(text: str, m: re.Match) -> bool:
    """The colon matched right after a Chinese character and before another: measured."""
    return bool(_IS_CJK.match(m.group(1)[-1]) and _IS_CJK.match(text[m.end():m.end() + 1]))


def _at_line_edge(text: str, m: re.Match) -> bool:
    after = text[m.end():m.end() + 1]
    return "\n" in m.group(2) or "\n" in m.group(3) or after in ("", "\n")


def punctuation_widths(chars: list[str], at: list[int]) -> list[str]:
    """Brackets, commas, colons and semicolons between two recognised characters set full- or
    half-width by their spacing: `at` is each character's position (CTC frame), compared with
    the line's Chinese pitch (median distance between neighbouring Chinese characters). The
    recogniser sees a mark's shape, not its width (a form may print `培训(参会)` or `，` and `,`
    side by side). Lines without two neighbouring Chinese characters are left as read."""
    cjk = [bool(_IS_CJK.match(c)) for c in chars]
    pitches = [at[i + 1] - at[i] for i in range(len(chars) - 1) if cjk[i] and cjk[i + 1]]
    if not pitches:
        return chars
    pitch = float(np.median(pitches))
    out = list(chars)
    for i in range(1, len(chars) - 1):
        kind = _HALF.find(chars[i]) if chars[i] in _HALF else _FULL.find(chars[i])
        if kind >= 0 and (chars[i] in _PAIRED or (cjk[i - 1] and cjk[i + 1])):
            out[i] = (_FULL if at[i + 1] - at[i - 1] >= FULL_WIDTH_SPAN * pitch else _HALF)[kind]
    return out


class Engine(Protocol):
    name: str
    measures_punctuation: bool  # sets the width of punctuation between characters (punctuation_widths)

    def read_lines(self, crops: list[np.ndarray]) -> list[Line]: ...


def rapidocr_model_dir() -> Path:
    """Folder of the ONNX models inside the installed rapidocr wheel."""
    import rapidocr_onnxruntime

    return Path(rapidocr_onnxruntime.__file__).resolve().parent / "models"


class RapidEngine:
    """PP-OCRv4 recognition (rapidocr-onnxruntime's model, graph simplified exactly by
    ocr_model) on one onnxruntime thread; confidence is the per-character minimum."""

    name = "rapidocr"
    measures_punctuation = True
    MODEL = "ch_PP-OCRv4_rec_infer.onnx"

    def __init__(self, threads: int = 1, simplify: bool = True) -> None:
        import onnxruntime as ort

        from etl.readers.ocr_model import simplified

        self.model_path = rapidocr_model_dir() / self.MODEL
        model = simplified(self.model_path) if simplify else str(self.model_path)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = opts.inter_op_num_threads = threads
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        meta = self._session.get_modelmeta().custom_metadata_map
        self._chars = ["blank", *meta["character"].splitlines(), " "]  # as rapidocr's CTCLabelDecode

    def read_lines(self, crops: list[np.ndarray]) -> list[Line]:
        return [ctc_decode(self._session.run(None, {self._input: _normalised(c)})[0][0], self._chars) for c in crops]


def ctc_decode(pred: np.ndarray, alphabet: list[str]) -> Line:
    """Greedy CTC: per frame the likeliest class (0 = no character), repeats merged; the
    punctuation widths set from the characters' frames; confidence as described above."""
    best = pred.argmax(axis=1)
    prob = pred[np.arange(len(best)), best]
    keep = (best != 0) & np.concatenate(([True], best[1:] != best[:-1]))
    if not keep.any():
        return "", 0.0
    chars = punctuation_widths([alphabet[k] for k in best[keep]], np.flatnonzero(keep).tolist())
    # A frame read as "no character" although one was likelier than none (blank below 1/2):
    # a rare character skipped (精准遴选 read as 精准选) leaves no doubtful character behind.
    skipped = prob[(best == 0) & (prob < SKIP_BELOW)]
    return "".join(chars), float(min(prob[keep].min(), skipped.min(initial=1.0)))


def _normalised(crop: np.ndarray) -> np.ndarray:
    """A line crop as the recogniser's input: 48 px high (long lines narrowed), BGR scaled
    to -1..1, padded with zeros on the right to at least a square; shape (1, 3, 48, W)."""
    import cv2

    h, w = crop.shape[:2]
    width = max(1, math.ceil(REC_HEIGHT * w / h * (SQUEEZE if w > SQUEEZE_FROM * h else 1.0)))
    line = cv2.resize(_bgr(crop), (width, REC_HEIGHT)).astype(np.float32).transpose(2, 0, 1) / 127.5 - 1.0
    out = np.zeros((1, 3, REC_HEIGHT, max(width, round(REC_HEIGHT * MIN_RATIO))), np.float32)
    out[0, :, :, :width] = line
    return out


class TesseractEngine:
    """Tesseract (chi_sim) on the same line crops, stacked into one image: one process per page."""

    name = "tesseract"
    measures_punctuation = False
    GAP = 24  # white pixels between stacked lines

    def read_lines(self, crops: list[np.ndarray]) -> list[Line]:
        if not crops:
            return []
        scaled = [_to_height(_grey(c), REC_HEIGHT) for c in crops]
        width = max(c.shape[1] for c in scaled) + 2 * self.GAP
        slots, y = [], self.GAP
        for c in scaled:
            slots.append((y, y + c.shape[0]))
            y += c.shape[0] + self.GAP
        sheet = np.full((y, width), 255, np.uint8)
        for c, (top, bottom) in zip(scaled, slots):
            sheet[top:bottom, self.GAP:self.GAP + c.shape[1]] = c
        words = _tesseract_tsv(sheet)
        out: list[Line] = []
        for top, bottom in slots:
            mine = sorted((w for w in words if top <= w.mid_y < bottom), key=lambda w: w.x)
            out.append(("".join(w.text for w in mine), min((w.conf for w in mine), default=0.0)))
        return out


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    conf: float
    x: int
    mid_y: float


def _tesseract_tsv(sheet: np.ndarray) -> list[_Word]:
    import cv2

    ok, png = cv2.imencode(".png", sheet)
    run = subprocess.run(["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", "6", "tsv"],
                         input=png.tobytes(), capture_output=True, check=True,
                         env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    words = []
    for line in run.stdout.decode("utf-8", "replace").splitlines()[1:]:
        f = line.split("\t")
        if len(f) == 12 and f[11].strip() and float(f[10]) >= 0:
            words.append(_Word(f[11].strip(), float(f[10]) / 100, int(f[6]), int(f[7]) + int(f[9]) / 2))
    return words


def _bgr(img: np.ndarray) -> np.ndarray:
    return np.repeat(img[:, :, None], 3, axis=2) if img.ndim == 2 else img


def _grey(img: np.ndarray) -> np.ndarray:
    return img if img.ndim == 2 else img.mean(axis=2).astype(np.uint8)


def _to_height(img: np.ndarray, height: int) -> np.ndarray:
    import cv2

    h, w = img.shape[:2]
    return cv2.resize(img, (max(1, math.ceil(w * height / h)), height), interpolation=cv2.INTER_AREA)


@lru_cache(maxsize=2)
def engine(name: str = "rapidocr") -> Engine:
    """One engine per worker process (loading the model costs ~0.3 s)."""
    return TesseractEngine() if name == "tesseract" else RapidEngine()
