"""`fmt --check` on the 1,000-file corpus beside ruamel.yaml's own bare round trip (load + dump of
the same files, the floor for any comment-keeping formatter built on it). Prints seconds and the
ratio (issue 16's target: at most 1.5x), one process each, then fmt with --jobs.

    python bench/fmt_bench.py [--files 1000] [--touchpoints 30] [--rounds 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus
from ruamel.yaml import YAML

from cljourney.edit.fmt import format_paths


def bare(paths: list[Path]) -> None:
    """ruamel.yaml round-trip load and dump of each file, nothing else."""
    yaml = YAML(typ="rt")
    for path in paths:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"))
        except Exception:  # the corpus's broken files: fmt refuses them too
            continue
        yaml.dump(data, io.StringIO())


def best(function: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--touchpoints", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = write_corpus(Path(folder), args.files, args.touchpoints, seed=args.seed)
        size = sum(path.stat().st_size for path in paths)
        ruamel = best(lambda: bare(paths), args.rounds)
        fmt = best(lambda: format_paths([Path(folder)], 1), args.rounds)
        jobs = best(lambda: format_paths([Path(folder)], args.jobs), args.rounds)
    print(f"corpus: {len(paths)} files, {size:,} bytes (seed {args.seed}); best of {args.rounds}")
    print(f"ruamel.yaml bare round trip (load + dump), 1 process  {ruamel:7.2f} s")
    print(f"cljourney fmt --check, 1 process                       {fmt:7.2f} s")
    print(f"cljourney fmt --check, --jobs {args.jobs}                        {jobs:7.2f} s")
    print(f"fmt / bare round trip, 1 process: {fmt / ruamel:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
