"""Text-line recognition for scanned pages: crops of single text lines in, (text, confidence) out.

The grid finder (ocr_grid) already knows where every text line of every cell is, so only
the recognition model runs, never a text detector: that is most of the speed. The default
engine is the PP-OCRv4 recogniser bundled inside the `rapidocr-onnxruntime` wheel (the
.onnx files ship in the package: nothing is downloaded), run on one onnxruntime thread
because the ingest already runs one worker per core. `TesseractEngine` (Debian's
tesseract-ocr-chi-sim) reads the same crops for comparison (bench/ocr.py).

Confidence is the lowest per-character probability of a line, not the mean: one doubtful
digit is what makes a figure doubtful.
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
# One crop per run at its own width: padding short crops (`3.20`, `-`) to the widest of a
# batch costs more than it saves on one thread (measured: a batch of 8 took twice as long per line).
BATCH = 1
MIN_RATIO = 1.0
# Long lines (paragraphs) are narrowed to this share of their width first: the recogniser's
# cost grows faster than linearly with width and such print has room to spare (about 1/3
# less time, same text on the golden scans). Short lines, where figures are, are left alone:
# narrowed, runs of one digit (500000) lose a digit to CTC's merging of repeats.
SQUEEZE, SQUEEZE_FROM = 0.7, 12.0  # factor; from this width/height ratio on


_CJK = "\u4e00-\u9fff"
_OPEN_CJK = re.compile(f"([{_CJK}])(\\s*)[(（]([{_CJK}][^()（）]*?)[)）]")
_COLON = re.compile(f"([{_CJK}][0-9]*)([:;])")
_FULL_STOP = re.compile(f"(?<=[{_CJK}])[oO](?=$|\\n|[{_CJK}])")  # a recogniser reads 。 as o
_OPEN_NUM = re.compile(r"([0-9%])\s*[(（]\s*([^()（）\n]*?)\s*[)）]")


def punctuation_by_context(text: str) -> str:
    """Brackets and colons as Chinese print sets them; a recogniser cannot see their width.
    Applied to a whole cell (lines joined by newlines), so a bracket wrapped onto the next line
    is seen.

    Around Chinese words after a Chinese character brackets are full-width (实习（上海）);
    after a figure, around a unit, half-width (1.00(个), 95(%)). A colon or semicolon after
    Chinese text (其中：, 指标1：, 责任；) is full-width; 11:40 stays as read. A Latin `o` after
    a Chinese character, ending the line or followed by another, is the full stop 。.
    """
    text = _FULL_STOP.sub("。", text)
    text = _COLON.sub(lambda m: m.group(1) + ("：" if m.group(2) == ":" else "；"), text)
    text = _OPEN_CJK.sub(lambda m: f"{m.group(1)}{m.group(2)}（{m.group(3)}）", text)
    return _OPEN_NUM.sub(lambda m: f"{m.group(1)}({m.group(2)})", text)


class Engine(Protocol):
    name: str

    def read_lines(self, crops: list[np.ndarray]) -> list[Line]: ...


def rapidocr_model_dir() -> Path:
    """Folder of the ONNX models inside the installed rapidocr wheel."""
    import rapidocr_onnxruntime

    return Path(rapidocr_onnxruntime.__file__).resolve().parent / "models"


class RapidEngine:
    """PP-OCRv4 recognition (rapidocr-onnxruntime) on one thread, per-char min confidence."""

    name = "rapidocr"

    def __init__(self, threads: int = 1) -> None:
        from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer

        model = rapidocr_model_dir() / "ch_PP-OCRv4_rec_infer.onnx"
        self._rec = TextRecognizer({"model_path": str(model), "intra_op_num_threads": threads,
                                    "inter_op_num_threads": threads, "use_cuda": False, "use_dml": False,
                                    "rec_img_shape": [3, REC_HEIGHT, 320], "rec_batch_num": BATCH})
        self._chars = self._rec.postprocess_op.character

    def read_lines(self, crops: list[np.ndarray]) -> list[Line]:
        import cv2

        crops = [cv2.resize(c, (int(c.shape[1] * SQUEEZE), c.shape[0]), interpolation=cv2.INTER_AREA)
                 if c.shape[1] > SQUEEZE_FROM * c.shape[0] else c for c in crops]
        out: list[Line] = [("", 0.0)] * len(crops)
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
        for start in range(0, len(order), BATCH):
            idx = order[start:start + BATCH]
            ratio = max(max(crops[i].shape[1] / max(1, crops[i].shape[0]) for i in idx), MIN_RATIO)
            batch = np.stack([self._rec.resize_norm_img(_bgr(crops[i]), ratio) for i in idx])
            preds = self._rec.session(batch)[0]
            for i, pred in zip(idx, preds):
                out[i] = self._decode(pred)
        return out

    def _decode(self, pred: np.ndarray) -> Line:
        best, prob = pred.argmax(axis=1), pred.max(axis=1)
        keep = (best != 0) & np.concatenate(([True], best[1:] != best[:-1]))
        if not keep.any():
            return "", 0.0
        return "".join(self._chars[k] for k in best[keep]), float(prob[keep].min())


class TesseractEngine:
    """Tesseract (chi_sim) on the same line crops, stacked into one image: one process per page."""

    name = "tesseract"
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
