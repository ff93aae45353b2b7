"""OCR decoding and line finding, without the model: CTC frames in, text and confidence out;
punctuation width from spacing; thin bands of ink joined to a line or kept apart."""

from __future__ import annotations

import numpy as np

from etl.readers import ocr_grid as grid
from etl.readers.ocr_engine import ctc_decode, punctuation_by_context, punctuation_widths

ALPHABET = ["blank", "培", "训", "参", "会", "人", "次", "(", ")", "，", ",", "选", "准", "精"]


def frames(spec: list[tuple[str, float]]) -> np.ndarray:
    """One CTC frame per (character or "" for blank, its probability); the rest spread evenly."""
    pred = np.zeros((len(spec), len(ALPHABET)), np.float32)
    for i, (ch, p) in enumerate(spec):
        k = ALPHABET.index(ch) if ch else 0
        pred[i, :] = (1 - p) / (len(ALPHABET) - 1)
        pred[i, k] = p
    return pred


def spaced(text: str, at: list[int]) -> list[tuple[str, float]]:
    """Characters at frame positions `at`, blanks between them."""
    out = [("", 0.99)] * (max(at) + 2)
    for ch, i in zip(text, at):
        out[i] = (ch, 0.99)
    return out


def test_a_bracket_set_close_to_its_neighbours_is_half_width_and_a_wide_one_full() -> None:
    pitch = 5
    tight = spaced("培训(参会)人次", [0, 5, 7, 10, 15, 18, 21, 26])  # 训→参 1 pitch: half-width
    wide = spaced("培训(参会)人次", [0, 5, 10, 15, 20, 25, 30, 35])  # 训→参 2 pitches: full-width
    assert ctc_decode(frames(tight), ALPHABET)[0] == "培训(参会)人次"
    assert ctc_decode(frames(wide), ALPHABET)[0] == "培训（参会）人次"
    assert punctuation_widths(list("精准,选准"), [0, pitch, 2 * pitch, 3 * pitch, 4 * pitch]) == list("精准，选准")
    assert punctuation_widths(list("精准，选准"), [0, pitch, 7, 11, 11 + pitch]) == list("精准,选准")
    assert punctuation_widths(list("选，精"), [0, 3, 6]) == list("选，精")  # no pitch to compare with: as read


def test_context_rule_keeps_measured_brackets_and_still_sets_those_at_a_line_edge() -> None:
    assert punctuation_by_context("培训(参会)人次", measured=True) == "培训(参会)人次"
    assert punctuation_by_context("培训(参会)人次") == "培训（参会）人次"
    assert punctuation_by_context("项目\n资金\n(万\n元)", measured=True) == "项目\n资金\n（万\n元）"
    assert punctuation_by_context("其中:当年", measured=True) == "其中:当年"  # measured between Chinese
    assert punctuation_by_context("指标1:组织", measured=True) == "指标1：组织"


def test_a_skipped_character_makes_a_confident_line_doubtful() -> None:
    read = spaced("精准选", [0, 5, 15])
    text, sure = ctc_decode(frames(read), ALPHABET)
    assert text == "精准选" and sure > 0.9
    read[10] = ("", 0.41)  # blank only 41 % likely where 遴 stood: a character likelier than none
    text, doubtful = ctc_decode(frames(read), ALPHABET)
    assert text == "精准选" and abs(doubtful - 0.41) < 1e-6
    read[10] = ("", 0.7)  # a blank that is merely less than certain is not a skipped character
    assert ctc_decode(frames(read), ALPHABET)[1] > 0.9


def test_thin_bands_join_a_line_only_while_it_stays_line_high() -> None:
    ink = np.zeros((120, 200), np.uint8)
    ink[10:36, 10:190] = 255  # a line of print, 26 px
    ink[40:48, 12:30] = 255  # closing quotes ”” wrapped onto the next line: thin, high
    ink[70:73, 40:70] = 255  # 二: two thin strokes, a character high together
    ink[82:85, 38:72] = 255
    box = (0, 0, 200, 120)
    joined = grid.text_lines(ink, box, inset=0, min_ink=3)
    apart = grid.text_lines(ink, box, inset=0, min_ink=3, max_line=34)
    assert [b[1] for b in joined] == [10, 70]  # without a bound the quotes vanish into the line
    assert [(b[1], b[3]) for b in apart] == [(10, 36), (40, 48), (70, 85)]
