"""How a benchmark script reports its figures to `make bench` (bench/run_all.py).

A script calls `emit(...)` once per measured thing. When run by run_all, the environment
variable BENCH_RESULTS names a file and each call appends one JSON line to it; run_all
reads them all and prints one table. Run on its own, a script's `emit` only echoes the row
(the script prints its own report as well). See bench/README.md.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def emit(
    name: str,
    *,
    median_ms: float | None,
    p95_ms: float | None = None,
    queries: int | None = None,
    sql_ms: float | None = None,
    ratio: float | None = None,
    size: str = "",
    note: str = "",
) -> None:
    """One measured thing. `sql_ms`/`ratio`: the page's own SQL re-run raw, and request
    time over that (hot pages). `size`: the data it ran on ("100,000 applications")."""
    row: dict[str, Any] = {
        "script": os.path.basename(sys.argv[0]).removesuffix(".py"),
        "name": name,
        "median_ms": median_ms,
        "p95_ms": p95_ms,
        "queries": queries,
        "sql_ms": sql_ms,
        "ratio": ratio,
        "size": size,
        "note": note,
    }
    target = os.environ.get("BENCH_RESULTS")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps(row) + "\n")
