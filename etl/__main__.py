"""`python -m etl ...` is `jixiao ...` (works before the console script is on PATH)."""

import sys

from etl.cli import main

sys.exit(main())
