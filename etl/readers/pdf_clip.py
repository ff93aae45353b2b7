"""Clipping paths, which pdfminer (under pdfplumber) ignores: which chars a clip hides.

Office exporters draw text and then clip it. LibreOffice prints a merged cell that
crosses a page break on every page it covers, with its text positioned for the whole
cell and clipped to the part on that page: the copies on the other pages lie off the
page, or (under a repeated header row) inside the header. pdfminer would extract
them all as printed text. Here a page is laid out by an interpreter that tracks the
clip (the bounds of each clipping path: office exporters clip to rectangles), and the
chars drawn outside their clip are set apart, each with the clip box it was drawn in:
that box says which cell the hidden text belongs to.
"""

from __future__ import annotations

from typing import Any

import pdfplumber
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import apply_matrix_pt
from pdfplumber.page import PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

BBox = tuple[float, float, float, float]
Char = dict[str, Any]
TOL = 0.5  # points: a glyph whose centre is this close to its clip is shown


def hidden_chars(page: pdfplumber.page.Page) -> list[tuple[Char, BBox]]:
    """Lay the page out (pdfplumber then reuses this layout) and return the chars its
    clipping paths hide, with their clip box in page coordinates (x0, top, x1, bottom).
    The page box itself is the outermost clip: text beyond the page is hidden too."""
    device = _ClipDevice(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    device.clip = device.page_box = (0.0, 0.0, float(page.width), float(page.height))
    interpreter = _ClipInterpreter(page.pdf.rsrcmgr, device)
    try:
        interpreter.process_page(page.page_obj)
    except Exception as exc:  # noqa: BLE001 - the same wrapping pdfplumber's own layout does
        raise PdfminerException(exc) from exc
    page._layout = device.get_result()  # the cached layout pdfplumber's `objects` reads
    mb_x0, mb_top = page.mediabox[:2]
    return [(page.process_object(obj), (x0 + mb_x0, page.height - y1 + mb_top, x1 + mb_x0, page.height - y0 + mb_top))
            for obj, (x0, y0, x1, y1) in device.hidden]


class _ClipDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's aggregator, keeping chars drawn outside the current clip apart."""

    clip: BBox
    page_box: BBox

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden: list[tuple[Any, BBox]] = []

    def render_char(self, *args: Any, **kwargs: Any) -> float:  # type: ignore[override]
        adv = super().render_char(*args, **kwargs)
        item = self.cur_item._objs[-1]
        x, y = (item.x0 + item.x1) / 2, (item.y0 + item.y1) / 2
        x0, y0, x1, y1 = self.clip
        if not (x0 - TOL <= x <= x1 + TOL and y0 - TOL <= y <= y1 + TOL):
            self.cur_item._objs.pop()
            self.hidden.append((item, self.clip))
        return adv


class _ClipInterpreter(PDFPageInterpreter):
    """Tracks the clip box through q/Q, W/W* and form XObjects."""

    device: _ClipDevice
    inherited: BBox | None = None

    def init_state(self, ctm: Any) -> None:
        super().init_state(ctm)
        self._set_clip(self.inherited or self.device.page_box)

    def _set_clip(self, clip: BBox) -> None:
        self.clip = clip
        self.device.clip = clip

    def get_current_state(self) -> Any:
        return (*super().get_current_state(), self.clip)

    def set_current_state(self, state: Any) -> None:
        super().set_current_state(state[:3])
        self._set_clip(state[3])

    def subinterp(self) -> PDFPageInterpreter:
        interp = super().subinterp()
        interp.inherited = self.clip  # type: ignore[attr-defined]
        return interp

    def do_Do(self, xobjid_arg: Any) -> None:
        clip = self.clip
        super().do_Do(xobjid_arg)
        self._set_clip(clip)

    def do_W(self) -> None:
        self._clip_to_path()

    def do_W_a(self) -> None:
        self._clip_to_path()

    def _clip_to_path(self) -> None:
        """The clip becomes its intersection with the current path's bounds (device space)."""
        pts = [apply_matrix_pt(self.ctm, (float(seg[i]), float(seg[i + 1])))
               for seg in self.curpath for i in range(1, len(seg) - 1, 2)]
        if not pts:
            return
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        x0, y0, x1, y1 = self.clip
        self._set_clip((max(x0, min(xs)), max(y0, min(ys)), min(x1, max(xs)), min(y1, max(ys))))
