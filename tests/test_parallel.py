"""Checking on several processes gives the same report, in the same order, as one process."""

from __future__ import annotations

from pathlib import Path

from cljourney.check.discover import Target, discover
from cljourney.check.options import ValidateOptions
from cljourney.check.parallel import (
    PARALLEL_MIN_BYTES,
    PARALLEL_MIN_FILES,
    available_cpus,
    plan_jobs,
)
from cljourney.check.pipeline import validate
from conftest import EXAMPLES, ROOT, RULE_CASES

PATHS = [EXAMPLES, RULE_CASES, ROOT / "tests" / "data"]


def test_parallel_report_equals_sequential() -> None:
    sequential = validate(PATHS, ValidateOptions(jobs=1))
    parallel = validate(PATHS, ValidateOptions(jobs=2))
    assert len(sequential.files) > 30
    assert parallel == sequential
    assert [f.path for f in parallel.files] == [f.path for f in sequential.files]


def test_directory_scan_skips_non_journeys_in_workers_too(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("not: a journey\n")
    (tmp_path / "broken.yaml").write_text("key: [unclosed\n")
    journey = (EXAMPLES / "b2b-saas.yaml").read_text()
    for number in range(5):
        (tmp_path / f"j{number}.yaml").write_text(journey)
    sequential = validate([tmp_path], ValidateOptions(jobs=1))
    assert [Path(f.path).name for f in sequential.files] == [f"j{n}.yaml" for n in range(5)]
    assert validate([tmp_path], ValidateOptions(jobs=3)) == sequential


def test_plan_jobs_thresholds(tmp_path: Path) -> None:
    small = tmp_path / "small.yaml"
    small.write_text("cljourney: 1\n")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * PARALLEL_MIN_BYTES)
    few_small = [Target(small, True)] * PARALLEL_MIN_FILES
    enough = [Target(big, True)] * PARALLEL_MIN_FILES
    assert plan_jobs(few_small) == 1
    assert plan_jobs(enough[:1]) == 1
    assert plan_jobs(enough) == min(available_cpus(), PARALLEL_MIN_FILES)
    assert plan_jobs(few_small, requested=3) == 3
    assert plan_jobs(discover([EXAMPLES])[:1], requested=8) == 1


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_end_when_validate_is_killed(tmp_path: Path) -> None:
    """SIGTERM (a cancelled CI job) or SIGKILL ends `validate -j 2` where it stands: its
    workers end with it instead of waiting for work forever as orphans."""
    import shutil
    import signal
    import subprocess
    import sys
    import time

    for number in range(400):
        shutil.copyfile(EXAMPLES / "b2b-saas.yaml", tmp_path / f"j{number}.yaml")
    for sent in (signal.SIGTERM, signal.SIGKILL):
        process = subprocess.Popen(
            [sys.executable, "-m", "cljourney", "validate", str(tmp_path), "-j", "2"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = _children(process.pid)
            time.sleep(0.02)
        assert len(workers) >= 2, "the workers did not start"
        process.send_signal(sent)
        assert process.wait(10) == -sent
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)], sent
