"""Hostile PDFs built in code: each function writes one file and returns its path.

A tiny raw PDF writer (objects, xref, trailer) so each case is exactly the structure
an attacker would send, with no library smoothing it over.

| function          | what pdfminer meets                                              |
|-------------------|------------------------------------------------------------------|
| self_reference    | page /Contents 4 0 R, object 4 is `5 0 R`, object 5 is `4 0 R`  |
| flate_bomb        | a content stream of NULs deflated ~1000:1 (a few MB -> GBs)      |
| deep_page_tree    | a /Pages tree thousands of levels deep                           |
| bogus_length      | a content stream whose /Length is negative                      |
| blank_pages       | a valid PDF of blank pages (no text at all)                      |
"""

from __future__ import annotations

import zlib
from pathlib import Path

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """Objects numbered from 1 (object 1 the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _stream(data: bytes, extra: bytes = b"", length: int | None = None) -> bytes:
    n = len(data) if length is None else length
    return b"<< /Length %d %s>>\nstream\n" % (n, extra) + data + b"\nendstream"


def _one_page(contents: bytes, *more: bytes) -> list[bytes]:
    return [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE,
            contents, *more]


def self_reference(folder: Path) -> Path:
    return write_pdf(folder / "self_reference.pdf", _one_page(b"5 0 R", b"4 0 R"))


def flate_bomb(folder: Path, inflated_mib: int = 1024) -> Path:
    """NULs deflate about 1000:1: `inflated_mib` MiB of content from about a thousandth of that.

    One MiB is deflated once, after a full flush (which resets the history), so the same
    bytes repeat for every MiB: a GiB bomb is built in milliseconds, with a valid checksum.
    """
    block = bytes(1 << 20)
    z = zlib.compressobj(9)
    head = z.compress(block) + z.flush(zlib.Z_FULL_FLUSH)
    again = z.compress(block) + z.flush(zlib.Z_FULL_FLUSH)
    adler = ((inflated_mib << 20) % 65521) << 16 | 1  # Adler-32 of NULs: A stays 1, B counts bytes
    tail = z.flush() [:-4] + adler.to_bytes(4, "big")  # the final block, then the real checksum
    data = head + again * (inflated_mib - 1) + tail
    return write_pdf(folder / "flate_bomb.pdf", _one_page(_stream(data, b"/Filter /FlateDecode ")))


def deep_page_tree(folder: Path, depth: int = 5000) -> Path:
    """Catalog -> Pages -> Pages -> ... (`depth` levels) -> one page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        n = 2 + level
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 /Parent %d 0 R >>" % (n + 1, max(1, n - 1)))
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (depth + 1))
    return write_pdf(folder / "deep_page_tree.pdf", objects)


def bogus_length(folder: Path) -> Path:
    text = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET"
    return write_pdf(folder / "bogus_length.pdf", _one_page(_stream(text, length=-1000)))


def blank_pages(folder: Path, pages: int = 3) -> Path:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return write_pdf(folder / "blank_pages.pdf", objects)
