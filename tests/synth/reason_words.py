"""Derives etl/data/reason_words.txt (the vocabulary of etl/themes.py) from jieba's bundled dictionary.

    python -m tests.synth.reason_words      # rewrites the file

The 2–4-character all-Han words with frequency ≥ MIN_FREQ, most frequent first. jieba is
MIT-licensed; its dictionary ships inside the wheel, so nothing is downloaded.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from etl.themes import LONGEST, WORDS_FILE

MIN_FREQ = 100
HEADER = "# Derived from jieba's dict.txt (MIT) by tests/synth/reason_words.py: 2-4 Han characters, frequency >= 100\n"
_HAN = re.compile(r"[\u4e00-\u9fff]{2,%d}" % LONGEST)


def derive() -> str:
    import jieba

    entries = []
    for line in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split()
        if int(freq) >= MIN_FREQ and _HAN.fullmatch(word):
            entries.append((-int(freq), word))
    return HEADER + "\n".join(w for _, w in sorted(entries)) + "\n"


if __name__ == "__main__":
    WORDS_FILE.parent.mkdir(exist_ok=True)
    WORDS_FILE.write_text(derive(), encoding="utf-8")
    sys.exit(0)
