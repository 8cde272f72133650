"""`cljourney conform` on DuckDB and on Spark (local mode) over the same Parquet log, end to end
(process and JVM start included); prints figures and whether the JSON reports are identical,
asserts nothing.

CPU is user + system time of the whole tree; under a shared machine's load it is the steadier
figure. Peak memory is the largest sum of resident memory over the process tree (cljourney's Python
process and, for Spark, the JVM it starts), sampled every 0.1 s from /proc: `/usr/bin/time -v`
would miss the JVM, which the Python process never waits for. Runs alternate, best of --repeat.

    python bench/events.py examples/b2b-saas.yaml /tmp/10m.parquet --customers 800000
    .venv/bin/python bench/spark_bench.py --log /tmp/10m.parquet --master 'local[2]' --repeat 1
    .venv/bin/python bench/spark_bench.py --log /tmp/1m.parquet --before /tmp/old/src
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JOURNEY = ROOT / "examples" / "b2b-saas.yaml"
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (from /proc/*/stat's parent ids)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def _rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds and peak resident bytes of the process tree, exit status.
    CPU: the process's own (wait4) plus the last sample of each descendant."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    peak = 0
    others: dict[int, float] = {}
    while True:
        pids = _tree(process.pid)
        peak = max(peak, _rss(pids))
        for pid in pids[1:]:
            others[pid] = max(others.get(pid, 0.0), _cpu(pid))
        done, status, usage = os.wait4(process.pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.1)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime + sum(others.values())
    return wall, cpu, peak, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, required=True, help="Parquet event log")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--before", type=Path, help="another src/ to time on DuckDB too")
    args = parser.parse_args()
    import duckdb

    connection = duckdb.connect()
    rows = connection.execute("SELECT count(*) FROM read_parquet(?)", [str(args.log)]).fetchall()
    connection.close()
    out = Path(tempfile.mkdtemp(prefix="cljourney-spark-bench-"))
    base = [sys.executable, "-m", "cljourney", "conform", str(JOURNEY), "--events", str(args.log)]
    runs: dict[str, list[str]] = {
        "DuckDB": [*base, "-f", "json", "-o", str(out / "duckdb.json")],
        f"Spark {args.master}": [
            *base,
            "-f",
            "json",
            "-o",
            str(out / "spark.json"),
            "--engine",
            "spark",
            "--spark-master",
            args.master,
        ],
    }
    envs = {name: dict(os.environ) for name in runs}
    if args.before is not None:
        runs["DuckDB, before"] = [*base, "-f", "json", "-o", str(out / "before.json")]
        envs["DuckDB, before"] = {**os.environ, "PYTHONPATH": str(args.before)}
    best: dict[str, tuple[float, float, int, int]] = {}
    for _ in range(args.repeat):
        for name, command in runs.items():
            figures = measure(command, envs[name])
            if name not in best or figures[0] < best[name][0]:
                best[name] = figures
    load = os.getloadavg()[0]
    print(f"log {args.log} ({rows[0][0]:,} events), best of {args.repeat}, load {load:.1f}")
    print(f"{'engine':<22} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}  exit")
    for name, (wall, cpu, peak, code) in best.items():
        print(f"{name:<22} {wall:8.2f} {cpu:8.2f} {peak / 2**20:8.0f}  {code}")
    same = (out / "duckdb.json").read_bytes() == (out / "spark.json").read_bytes()
    print(f"JSON reports identical: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
