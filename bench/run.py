"""Benchmarks: `cljourney validate` beside the parse floor and its peers, in one run, with ratios.

    .venv/bin/pip install -c requirements/constraints.txt -e . --group bench
    .venv/bin/python bench/run.py [--files 1000] [--touchpoints 30] [--big 10000] [--repeat 3]
    .venv/bin/python bench/run.py --quick --repeat 10   # one file and start-up only, ~30 s
    .venv/bin/python bench/run.py --no-peers --big 0 --src before=/tmp/before/src
        # cljourney against the floor only, and the code in another checkout beside it

For three workloads (one typical file; N typical files; one journey of --big touchpoints) it times,
each as a fresh command with wall-clock time and peak memory (GNU time's %M):

* `cljourney validate` (auto jobs, and -j 1);
* the parse floor: PyYAML's C (libyaml) composer over the same files, as a command and in-process,
  and the bare libyaml event loop in-process (what any positioned loader must at least pay);
* `yamllint` (default config) and `check-jsonschema` with `cljourney schema` when that command
  exists (it is built on another branch; skipped with a note otherwise);

plus `cljourney --version` against `yamllint --version`. Each figure is the best of --repeat runs
(slow peers run once). Corpora come from bench/corpus.py with a fixed seed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from corpus import write_corpus

BIN = Path(sys.executable).parent
FLOOR_COMMAND = (
    "import sys, yaml\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, 'rb') as f:\n"
    "        try: yaml.compose(f.read(), Loader=yaml.CSafeLoader)\n"
    "        except yaml.YAMLError: pass\n"
)


@dataclass(frozen=True)
class Result:
    seconds: float
    peak_kb: int
    status: int


TIME = Path("/usr/bin/time")
# Commands read and write bytecode caches, as an installed cljourney does: with
# PYTHONDONTWRITEBYTECODE set (some shells and CI images set it) every run of cljourney would
# compile its modules and networkx's, pydantic's and typer's from source (bench/startup.py too).
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}


def run_command(argv: Sequence[str], repeat: int, env: dict[str, str] | None = None) -> Result:
    """Best wall time of `repeat` runs, with the command's peak RSS.

    The peak comes from GNU time's %M when it is installed: the rusage of a child forked from
    this (large) benchmark process would report this process's own high-water mark, which Linux
    carries across fork and exec.
    """
    best: Result | None = None
    for _ in range(repeat):
        with tempfile.NamedTemporaryFile("r") as report:
            wrapped = (
                [str(TIME), "-q", "-f", "%M", "-o", report.name, *argv]
                if TIME.exists()
                else list(argv)
            )
            start = time.perf_counter()
            status = subprocess.run(
                wrapped,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=ENV if env is None else env,
                check=False,
            ).returncode
            elapsed = time.perf_counter() - start
            text = report.read().strip().splitlines()
            peak = int(text[-1]) if text and text[-1].isdigit() else 0
        result = Result(elapsed, peak, status)
        if best is None or result.seconds < best.seconds:
            best = result
    assert best is not None
    return best


def run_inline(function: Callable[[], object], repeat: int) -> Result:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return Result(best, 0, 0)


def compose_all(paths: Sequence[Path]) -> None:
    import yaml

    for path in paths:
        with contextlib.suppress(yaml.YAMLError):
            yaml.compose(path.read_bytes(), Loader=yaml.CSafeLoader)


def events_all(paths: Sequence[Path]) -> None:
    import yaml

    for path in paths:
        parser = yaml.CSafeLoader(path.read_bytes())
        try:
            while parser.get_event() is not None:
                pass
        except (yaml.YAMLError, IndexError):
            pass
        finally:
            parser.dispose()


def load_all(paths: Sequence[Path]) -> None:
    from cljourney.load.tree import parse_tree

    for path in paths:
        parse_tree(path.read_bytes())


def validate_inline(paths: Sequence[Path], jobs: int) -> None:
    from cljourney.check.options import ValidateOptions
    from cljourney.check.pipeline import validate

    validate(list(paths), ValidateOptions(jobs=jobs))


def has_schema_command() -> bool:
    probe = subprocess.run(
        [str(BIN / "cljourney"), "schema", "--help"], capture_output=True, check=False
    )
    return probe.returncode == 0


def workload(
    name: str,
    root: Path,
    paths: list[Path],
    repeat: int,
    schema: Path | None,
    peers: bool = True,
    sources: Sequence[tuple[str, Path]] = (),
) -> None:
    files = [str(p) for p in paths]
    size = sum(p.stat().st_size for p in paths)
    slow = 1 if len(paths) > 100 or size > 2_000_000 else repeat
    print(f"\n## {name}: {len(paths):,} file(s), {size / 1e6:.2f} MB")
    rows: list[tuple[str, Result]] = []
    floor_cmd = run_command([sys.executable, "-c", FLOOR_COMMAND, *files], repeat)
    rows.append(("parse floor: PyYAML C compose (command)", floor_cmd))
    rows.append(
        (
            "parse floor: PyYAML C compose (in-process)",
            run_inline(lambda: compose_all(paths), repeat),
        )
    )
    rows.append(("libyaml events only (in-process)", run_inline(lambda: events_all(paths), repeat)))
    rows.append(
        (
            "cljourney loader: positioned tree (in-process)",
            run_inline(lambda: load_all(paths), repeat),
        )
    )
    rows.append(
        (
            "cljourney validate (command)",
            run_command([str(BIN / "cljourney"), "validate", str(root)], repeat),
        )
    )
    for label, src in sources:  # the same command on other code, for before/after in one run
        env = {**ENV, "PYTHONPATH": str(src)}
        argv = [str(BIN / "cljourney"), "validate", str(root)]
        rows.append((f"cljourney validate ({label}) (command)", run_command(argv, repeat, env)))
    if len(paths) > 1:
        rows.append(
            (
                "cljourney validate -j 1 (command)",
                run_command([str(BIN / "cljourney"), "validate", "-j", "1", str(root)], repeat),
            )
        )
    rows.append(
        (
            "cljourney validate -j 1 (in-process)",
            run_inline(lambda: validate_inline(paths, 1), repeat),
        )
    )
    if peers:
        rows.append(
            (
                "yamllint (command)",
                run_command([str(BIN / "yamllint"), "-f", "parsable", str(root)], slow),
            )
        )
    if not peers:
        print("(peers skipped: --no-peers)")
    elif schema is not None:
        rows.append(
            (
                "check-jsonschema + cljourney schema (command)",
                run_command(
                    [str(BIN / "check-jsonschema"), "--schemafile", str(schema), *files], slow
                ),
            )
        )
    else:
        print("(check-jsonschema skipped: `cljourney schema` does not exist on this branch yet)")
    floor = floor_cmd.seconds
    print(f"{'what':<48} {'seconds':>9} {'x floor':>8} {'peak MB':>8}")
    for label, result in rows:
        peak = f"{result.peak_kb / 1024:.0f}" if result.peak_kb else "-"
        print(f"{label:<48} {result.seconds:>9.3f} {result.seconds / floor:>8.2f} {peak:>8}")
    if peers:
        ours = dict(rows)["cljourney validate (command)"].seconds
        lint = dict(rows)["yamllint (command)"].seconds
        print(f"yamllint / cljourney validate: {lint / ours:.1f}x")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--touchpoints", type=int, default=30)
    parser.add_argument("--big", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--quick", action="store_true", help="only the one-file workload and start-up"
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help="skip yamllint and check-jsonschema (minutes on the larger workloads)",
    )
    parser.add_argument(
        "--src",
        action="append",
        default=[],
        metavar="LABEL=DIR",
        help="also time `cljourney validate` running the code in DIR (a `src` folder)",
    )
    args = parser.parse_args()
    sources = [
        (label, Path(src).resolve()) for label, _, src in (s.partition("=") for s in args.src)
    ]
    for tool in ("cljourney", "yamllint"):
        if not (BIN / tool).exists():
            sys.exit(f"{BIN / tool} is missing: pip install -e . --group bench")
    import yaml  # noqa: F401  (imported up front: in-process figures are steady-state)

    import cljourney.check.pipeline  # noqa: F401

    print(f"# cljourney benchmarks on {machine()}")
    print(
        "times are wall-clock seconds, best of runs; 'x floor' is relative to the PyYAML C compose command"
    )
    work = Path(tempfile.mkdtemp(prefix="cljourney-bench-"))
    try:
        schema: Path | None = None
        if has_schema_command() and (BIN / "check-jsonschema").exists():
            schema = work / "schema.json"
            schema.write_bytes(
                subprocess.run(
                    [str(BIN / "cljourney"), "schema"], capture_output=True, check=True
                ).stdout
            )
        one = write_corpus(work / "one", 1, args.touchpoints, seed=args.seed, broken=0.0)
        peers = not args.no_peers
        workload("one typical file", work / "one", one, args.repeat, schema, peers, sources)
        if not args.quick:
            many = write_corpus(work / "many", args.files, args.touchpoints, seed=args.seed)
            name = f"{args.files:,} typical files"
            workload(name, work / "many", many, args.repeat, schema, peers, sources)
        if not args.quick and args.big:
            big = write_corpus(work / "big", 1, args.big, seed=args.seed, broken=0.0)
            name = f"one journey of {args.big:,} touchpoints"
            workload(name, work / "big", big, args.repeat, schema, peers, sources)
        print("\n## start-up")
        ours = run_command([str(BIN / "cljourney"), "--version"], 10)
        theirs = run_command([str(BIN / "yamllint"), "--version"], 10)
        helped = run_command([str(BIN / "cljourney"), "--help"], 10)
        print(f"cljourney --version  {ours.seconds:.3f} s  {ours.peak_kb / 1024:.0f} MB")
        print(f"cljourney --help     {helped.seconds:.3f} s  {helped.peak_kb / 1024:.0f} MB")
        print(f"yamllint --version   {theirs.seconds:.3f} s  {theirs.peak_kb / 1024:.0f} MB")
        print(f"yamllint --version / cljourney --version: {theirs.seconds / ours.seconds:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
