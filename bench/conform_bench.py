"""`cljourney conform` beside PM4Py on the same event log, end to end (process start included);
prints figures, asserts nothing.

Both sides read the same CSV made by bench/events.py for examples/b2b-saas.yaml:
- cljourney: `cljourney conform JOURNEY --events LOG --format json` (every figure of the report);
- PM4Py: a fresh Python process that imports pandas and pm4py, reads the CSV with pandas, maps
  event names to touchpoints (the journey's `events`), collapses repeats into visits, and computes
  pm4py.discover_dfg, pm4py.get_variants and pm4py.get_all_case_durations: the three figures the
  tests compare (tests/test_conform_pm4py.py), a subset of what conform computes.
Runs alternate, best of --repeat each; peak memory from /usr/bin/time -v when present.

    .venv/bin/python bench/conform_bench.py --customers 80000 --repeat 3      # ~1M events
    .venv/bin/python bench/conform_bench.py --customers 800000 --repeat 1     # ~10M events
    .venv/bin/python bench/conform_bench.py --log LOG.parquet --no-pm4py --memory-limit 2GB
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JOURNEY = ROOT / "examples" / "b2b-saas.yaml"
BIN = Path(sys.executable).parent

PM4PY = r"""
import sys, contextlib, io, fnmatch
with contextlib.redirect_stdout(io.StringIO()):
    import pandas as pd, pm4py
import yaml
journey = yaml.safe_load(open(sys.argv[1]))
patterns = [(name, tp["id"]) for stage in journey["stages"] for tp in stage.get("touchpoints") or []
            for name in tp.get("events") or []]
log = pd.read_csv(sys.argv[2], dtype=str)
log.columns = ["case", "event", "time"]
log = log.dropna()
log["time:timestamp"] = pd.to_datetime(log["time"], utc=True, errors="coerce", format="ISO8601")
log = log.dropna(subset=["time:timestamp"])
names = {n: next((tp for p, tp in patterns if fnmatch.fnmatchcase(n, p)), None) for n in log["event"].unique()}
log["concept:name"] = log["event"].map(names)
log = log.dropna(subset=["concept:name"]).rename(columns={"case": "case:concept:name"})
log["order"] = range(len(log))
log = log.sort_values(["case:concept:name", "time:timestamp", "order"], kind="stable")
same = (log["case:concept:name"] == log["case:concept:name"].shift()) & (log["concept:name"] == log["concept:name"].shift())
visits = log[~same]
dfg, starts, ends = pm4py.discover_dfg(visits)
variants = pm4py.get_variants(visits)
durations = pm4py.get_all_case_durations(log)
print(len(dfg), len(variants), len(durations))
"""


def timed(command: list[str], src: str | None = None) -> tuple[float, float | None, int | None]:
    """Wall seconds, CPU seconds (user + sys) and peak resident MB of one run (output thrown
    away); `src` runs cljourney from another source tree (PYTHONPATH)."""
    gnu_time = shutil.which("time") if Path("/usr/bin/time").exists() else None
    prefix = ["/usr/bin/time", "-v"] if gnu_time else []
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": src} if src else None
    done = subprocess.run([*prefix, *command], capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = re.findall(r"(?:User|System) time \(seconds\): ([0-9.]+)", done.stderr)
    return (
        wall,
        sum(float(c) for c in cpu) if cpu else None,
        int(match.group(1)) // 1024 if match else None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=80_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--log", type=Path, default=None, help="an existing CSV to use instead")
    parser.add_argument("--no-pm4py", action="store_true", help="time cljourney only")
    parser.add_argument("--memory-limit", default=None, help="passed to cljourney conform")
    parser.add_argument(
        "--before", default=None, help="another cljourney src/ to time beside (e.g. git archive)"
    )
    args = parser.parse_args()
    log = args.log or Path(f"/tmp/cljourney-bench-{args.customers}.csv")
    if not log.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "events.py"),
                str(JOURNEY),
                str(log),
                "--customers",
                str(args.customers),
            ],
            check=True,
        )
    if log.suffix == ".parquet":
        import duckdb  # the bench only; PM4Py's side reads CSV, so use --no-pm4py here

        rows = duckdb.sql(f"SELECT count(*) FROM read_parquet('{log}')").fetchall()[0][0]
    else:
        rows = sum(1 for _ in log.open("rb")) - 1
    ours = [str(BIN / "cljourney"), "conform", str(JOURNEY), "--events", str(log), "-f", "json"]
    if args.memory_limit:
        ours += ["--memory-limit", args.memory_limit]
    theirs = [sys.executable, "-c", PM4PY, str(JOURNEY), str(log)]
    before = [sys.executable, "-m", "cljourney", *ours[1:]]
    results: dict[str, list[tuple[float, float | None, int | None]]] = {
        "cljourney": [],
        "before": [],
        "pm4py": [],
    }
    for _ in range(args.repeat):
        results["cljourney"].append(timed(ours))
        if args.before:
            results["before"].append(timed(before, args.before))
        if not args.no_pm4py:
            results["pm4py"].append(timed(theirs))
    print(
        f"# conform: {rows:,} events in {log.name}, {os.cpu_count()} CPUs,"
        f" load average {os.getloadavg()[0]:.1f}; best of {args.repeat}"
    )
    print(f"{'what':<58}{'seconds':>8}{'CPU s':>8}{'peak MB':>9}")
    best = {}
    for name, label in (
        ("cljourney", "cljourney conform --format json (command)"),
        ("before", f"the same, from {args.before}"),
        ("pm4py", "pandas read_csv + PM4Py DFG, variants, durations (command)"),
    ):
        if not results[name]:
            continue
        wall, cpu, peak = min(results[name], key=lambda r: r[0])
        best[name] = wall
        shown_cpu = f"{cpu:.2f}" if cpu is not None else "-"
        print(f"{label:<58}{wall:>8.2f}{shown_cpu:>8}{peak if peak is not None else '-':>9}")
    if "pm4py" in best:
        print(f"PM4Py / cljourney: {best['pm4py'] / best['cljourney']:.1f}x")
    if "before" in best:
        print(f"before / cljourney: {best['before'] / best['cljourney']:.2f}x")


if __name__ == "__main__":
    main()
