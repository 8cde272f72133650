"""Baselines: record today's findings so a repository adopts cljourney without fixing them all first.

A finding's fingerprint is a hash of its journey id (the path for files that have none), element
id, rule id and message with digits and blanks normalised. It never uses positions (messages hold
none: related places are `Finding.related`), so moving a touchpoint or adding lines above it keeps
it baselined; changing what is wrong does not.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cljourney.findings import Finding

BASELINE_VERSION = 1
_DIGITS = re.compile(r"\d+")
_BLANKS = re.compile(r"\s+")


# Python converts integers of at most 4,300 digits from text (sys.get_int_max_str_digits).
LONG_NUMBER = "a number longer than 4,300 digits; no cljourney file holds one"
_LONG_NUMBER = re.compile(r"[0-9_]{4301,}")


def long_number_at(text: str) -> tuple[int, int]:
    """The 1-based line and column of the first over-long run of digits in `text` (else 1, 1)."""
    match = _LONG_NUMBER.search(text)
    if match is None:
        return 1, 1
    start = match.start()
    return text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)


class BaselineError(Exception):
    """A baseline file that cannot be read; the message says which file and why."""


# A baseline entry takes about 240 bytes: this holds a million findings. The cap is what keeps
# `--baseline` on a device or a pipe that never ends (/dev/zero) from reading until memory runs out.
MAX_BASELINE_BYTES = 256 * 1024 * 1024
_CHUNK = 1024 * 1024


def _read_bounded(path: Path) -> str:
    """The text of `path`, read a chunk at a time up to MAX_BASELINE_BYTES, or BaselineError."""
    data = bytearray()
    with path.open("rb", buffering=0) as stream:
        while len(data) <= MAX_BASELINE_BYTES:
            chunk = stream.read(min(_CHUNK, MAX_BASELINE_BYTES + 1 - len(data)))
            if not chunk:
                break
            data += chunk
    if len(data) > MAX_BASELINE_BYTES:
        raise BaselineError(
            f"{path}: more than {MAX_BASELINE_BYTES // (1024 * 1024)} MiB, larger than any"
            " baseline (a million findings take about 250 MB); not a baseline file? write one"
            " with --write-baseline"
        )
    return data.decode("utf-8")


def normalise(message: str) -> str:
    """Lowercase, digits as `#`, blanks collapsed (baselines written when messages held line
    numbers keep matching)."""
    return _BLANKS.sub(" ", _DIGITS.sub("#", message.lower())).strip()


def fingerprint(finding: Finding) -> str:
    """The stable identity of a finding (32 hex digits)."""
    parts = (
        finding.journey or finding.path,
        finding.element,
        finding.rule,
        normalise(finding.message),
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Baseline:
    """Fingerprints and how many findings of each the baseline accepts."""

    counts: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings not covered by the baseline (each entry covers one finding)."""
        left = Counter(self.counts)
        kept: list[Finding] = []
        for finding in findings:
            key = fingerprint(finding)
            if left[key] > 0:
                left[key] -= 1
            else:
                kept.append(finding)
        return kept


def dumps(findings: Iterable[Finding]) -> str:
    """The baseline file for `findings`: JSON, one entry per finding, in a stable order."""
    entries = sorted(
        (
            {
                "fingerprint": fingerprint(f),
                "rule": f.rule,
                "journey": f.journey,
                "element": f.element,
                "path": f.path,
                "message": f.message,
            }
            for f in findings
        ),
        key=lambda e: (e["path"], e["journey"], e["rule"], e["element"], e["fingerprint"]),
    )
    document = {"cljourney-baseline": BASELINE_VERSION, "findings": entries}
    from cljourney.text.shown import (
        encodable_data,  # a file name that is not UTF-8 is shown escaped
    )

    return json.dumps(encodable_data(document), indent=2, ensure_ascii=False) + "\n"


def load(path: Path) -> Baseline:
    """Read a baseline file written by `--write-baseline`, or raise BaselineError."""
    try:
        text = _read_bounded(path)
        data: Any = json.loads(text)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f":{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise BaselineError(
            f"{path}{where}: not a baseline file ({exc}); write one with --write-baseline"
        ) from None
    except RecursionError:
        raise BaselineError(
            f"{path}: not a baseline file (nested too deeply to read); write one with"
            " --write-baseline"
        ) from None
    except ValueError:  # valid JSON, but an integer Python will not convert
        line, column = long_number_at(text)
        raise BaselineError(
            f"{path}:{line}:{column}: not a baseline file ({LONG_NUMBER});"
            " write one with --write-baseline"
        ) from None
    if not isinstance(data, dict) or data.get("cljourney-baseline") != BASELINE_VERSION:
        raise BaselineError(
            f"{path}: not a cljourney baseline (version {BASELINE_VERSION});"
            " write one with --write-baseline"
        )
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise BaselineError(f"{path}: `findings` must be a list of entries with a `fingerprint`")
    return Baseline(MappingProxyType(dict(Counter(e["fingerprint"] for e in entries))))
