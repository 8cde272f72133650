"""One-file start-up, side by side: `cljourney validate FILE` beside `yamllint FILE`, interleaved.

    .venv/bin/python bench/startup.py [--rounds 20] [--src LABEL=DIR ...]

One typical journey (bench/corpus.py, seed 7, 30 touchpoints, about 21 KB) is checked by each
command in turn, `--rounds` times, so a busy machine slows all of them alike; each figure is the
best round, as wall-clock time and as CPU time (user + system of the child). `--src LABEL=DIR`
adds a row running the code in DIR (a `src` folder, e.g. from `git archive <commit> src`) with
this environment's dependencies, for before/after figures in one run:

    git archive ce84d4b src | tar -x -C /tmp/before-networkx
    .venv/bin/python bench/startup.py --src before-networkx=/tmp/before-networkx/src
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus

BIN = Path(sys.executable).parent
# What a one-file `validate` cannot do without, before any cljourney code: the CLI (typer, which
# builds its parameters with pydantic), the models' pydantic, the YAML reader and the graph layer.
DEPENDENCY_FLOOR = "import typer, yaml, networkx; from pydantic import BaseModel, TypeAdapter"


@dataclass
class Row:
    label: str
    argv: list[str]
    env: dict[str, str]
    wall: float = float("inf")
    cpu: float = float("inf")


def timed(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, child CPU seconds, exit status) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False
    ).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--src", action="append", default=[], metavar="LABEL=DIR")
    args = parser.parse_args()
    # Children read and write bytecode caches, as an installed cljourney does: with
    # PYTHONDONTWRITEBYTECODE set (some shells and CI images set it) every run would compile the
    # modules the caches lack from source, which doubles the figures.
    base_env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    }
    with tempfile.TemporaryDirectory(prefix="cljourney-startup-") as work:
        (path,) = write_corpus(Path(work), 1, 30, seed=args.seed, broken=0.0)
        rows = [
            Row(
                "cljourney validate (this checkout)",
                [sys.executable, "-m", "cljourney", "validate", str(path)],
                base_env,
            ),
        ]
        for item in args.src:
            label, _, src = item.partition("=")
            rows.append(
                Row(
                    f"cljourney validate ({label})",
                    [sys.executable, "-m", "cljourney", "validate", str(path)],
                    {**base_env, "PYTHONPATH": str(Path(src).resolve())},
                )
            )
        rows.append(
            Row(
                "yamllint -f parsable",
                [str(BIN / "yamllint"), "-f", "parsable", str(path)],
                base_env,
            )
        )
        rows.append(
            Row(
                "imports only: typer, pydantic, yaml, networkx",
                [sys.executable, "-c", DEPENDENCY_FLOOR],
                base_env,
            )
        )
        rows.append(
            Row("python -c pass (interpreter floor)", [sys.executable, "-c", "pass"], base_env)
        )
        for row in rows:  # warm the file cache and the bytecode caches
            timed(row.argv, row.env)
        start_load = os.getloadavg()[0]
        for _ in range(args.rounds):
            for row in rows:
                wall, cpu, status = timed(row.argv, row.env)
                if status != 0 and row.label.startswith("cljourney"):
                    sys.exit(f"{row.label}: exit status {status}")
                row.wall, row.cpu = min(row.wall, wall), min(row.cpu, cpu)
    lint = next(row for row in rows if row.label.startswith("yamllint"))
    load = f"{start_load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    print(f"# one-file start-up, best of {args.rounds} interleaved rounds; load average {load}")
    print(f"{'what':<48} {'wall s':>7} {'CPU s':>7} {'CPU / yamllint':>15}")
    for row in rows:
        ratio = f"{row.cpu / lint.cpu:.2f}x" if row is not lint else ""
        print(f"{row.label:<48} {row.wall:>7.3f} {row.cpu:>7.3f} {ratio:>15}")


if __name__ == "__main__":
    main()
