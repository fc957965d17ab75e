"""`make bench`: run every benchmark script in bench/, then print ONE table of their figures.

Each script runs in its own process, with BENCH_RESULTS set to a file where it appends one
JSON line per measured thing (bench/report.py `emit`); the table shows them all, with the
machine they ran on. Register a script in SCRIPTS with the arguments `make bench` gives it
(one line); a script in bench/ that is not registered still runs, with its defaults.
Its own printed report stays visible above the table. See bench/README.md.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NOT_SCRIPTS = {"run_all.py", "report.py", "__init__.py"}

# BENCH_SIZES: the numbers of applications the hot pages are measured at (comma-separated);
# the reminder sweep runs at the largest, with one offer in flight per five applications.
SIZES = os.environ.get("BENCH_SIZES", "10000,100000,1000000")
LARGEST = max(int(size) for size in SIZES.split(","))

# script, arguments: one line per benchmark.
SCRIPTS: list[tuple[str, list[str]]] = [
    ("pipeline.py", ["--sizes", SIZES]),
    ("sweep.py", ["--applications", str(LARGEST), "--offers", str(LARGEST // 5)]),
    ("autosave.py", []),
    ("letters.py", []),
    ("reports.py", ["--sizes", "100000"]),
    ("load.py", ["--duration", os.environ.get("BENCH_LOAD_SECONDS", "180")]),
    ("slots.py", []),
    ("careers.py", []),
]


def discovered() -> list[tuple[str, list[str]]]:
    registered = [name for name, _args in SCRIPTS]
    others = sorted(
        p.name
        for p in HERE.glob("*.py")
        if p.name not in NOT_SCRIPTS and not p.name.startswith("_") and p.name not in registered
    )
    return [*SCRIPTS, *((name, []) for name in others)]


def run(script: str, args: list[str], results: Path) -> tuple[int, float]:
    print(f"\n== {script} {' '.join(args)}".rstrip(), flush=True)
    started = time.perf_counter()
    env = {**os.environ, "BENCH_RESULTS": str(results)}
    code = subprocess.run([sys.executable, str(HERE / script), *args], cwd=HERE.parent, env=env)
    return code.returncode, time.perf_counter() - started


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    ) if Path("/proc/cpuinfo").exists() else platform.processor()  # fmt: skip
    memory = ""
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    return f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"


def postgres_version() -> str:
    try:
        import psycopg2

        url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        if not url.startswith(("postgres://", "postgresql://")):
            return ""
        connection = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
        try:
            cursor = connection.cursor()
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        finally:
            connection.close()
    except Exception:  # noqa: BLE001 - the table says it could not tell
        return "PostgreSQL (version unknown)"


def number(value: Any, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}{suffix}"
    return f"{value:,.{digits}f}{suffix}"


def table(rows: list[dict[str, Any]], outcomes: dict[str, tuple[int, float]]) -> str:
    lines = [
        "| benchmark | measured | data | median ms | p95 ms | queries | raw SQL ms "
        "| request / SQL |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = row["name"] + (f" ({row['note']})" if row.get("note") else "")
        lines.append(
            f"| {row['script']} | {name} | {row.get('size', '')} | {number(row['median_ms'])} "
            f"| {number(row.get('p95_ms'))} | {number(row.get('queries'))} "
            f"| {number(row.get('sql_ms'), 2)} | {number(row.get('ratio'), 1, '×')} |"
        )
    for script, (code, _seconds) in outcomes.items():
        reported = any(row["script"] == script.removesuffix(".py") for row in rows)
        if code != 0 or not reported:
            why = f"exited with {code}" if code else "reported no figures (bench/report.py)"
            lines.append(f"| {script.removesuffix('.py')} | {why} | | | | | | |")
    took = ", ".join(f"{s} {seconds:.0f} s" for s, (_c, seconds) in outcomes.items())
    lines += [
        "",
        f"Machine: {machine()}; {postgres_version()}.".replace("; .", "."),
        f"Run time: {took}. Request / SQL: the request's median over the median time of "
        "the same SQL statements re-run raw on a cursor, in the same run.",
    ]
    return "\n".join(lines)


def main(only: list[str]) -> int:
    """`run_all.py [script.py ...]`: all benchmarks, or only the ones named."""
    outcomes: dict[str, tuple[int, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "results.jsonl"
        results.touch()
        for script, args in discovered():
            if not only or script in only:
                outcomes[script] = run(script, args, results)
        rows = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    print("\n" + table(rows, outcomes))
    failed = [script for script, (code, _s) in outcomes.items() if code != 0]
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
