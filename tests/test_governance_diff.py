"""`diff` on the governance fields (issue 18): evidence downgraded, an opportunity dropped, a
metric's target changed and a review cadence lengthened are risky; the reverse is info."""

from __future__ import annotations

from pathlib import Path

import pytest

from cljourney.diff.compare import diff_journeys
from cljourney.diff.records import Level
from cljourney.load.journey import load_bytes
from cljourney.model import JourneyFile

FULL = (Path(__file__).parent / "data" / "governance" / "full.yaml").read_text()


def _load(text: str) -> JourneyFile:
    loaded = load_bytes(text.encode(), "j.yaml")
    assert loaded is not None and loaded.journey is not None
    return loaded.journey


def _changes(old: str, new: str) -> list[tuple[str, str | None, str]]:
    return [
        (change.level.value, change.field, change.message)
        for change in diff_journeys(_load(old), _load(new))
    ]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (
            "every: 90d",
            "every: 26w",
            ("risky", "review.every", "journey: review cadence lengthened from 90d to 26w"),
        ),
        (
            "every: 90d",
            "every: 30d",
            ("info", "review.every", "journey: review cadence changed from 90d to 30d"),
        ),
        (
            "evidence: { level: observed,",
            "evidence: { level: assumed,",
            (
                "risky",
                "customer.evidence.level",
                "touchpoint 'kickoff': evidence downgraded from observed to assumed",
            ),
        ),
        (
            'level: reported, source: "NPS',
            'level: assumed, source: "NPS',
            (
                "risky",
                "pain_points.evidence.level",
                "touchpoint 'kickoff': pain point 'Repeating the goals already shared in sales':"
                " evidence downgraded from reported to assumed",
            ),
        ),
        (
            "status: planned",
            "status: dropped",
            (
                "risky",
                "opportunities.status",
                "touchpoint 'kickoff': opportunity 'Send the success criteria before the call'"
                " dropped",
            ),
        ),
        (
            "target: 95%",
            "target: 80%",
            (
                "risky",
                "metrics.target",
                "touchpoint 'kickoff': metric 'Kick-off within 5 business days' target changed"
                " from 95% to 80%",
            ),
        ),
    ],
)
def test_governance_changes(before: str, after: str, expected: tuple[str, str, str]) -> None:
    assert before in FULL
    assert expected in _changes(FULL, FULL.replace(before, after, 1))


def test_opportunity_removed_is_risky() -> None:
    found = _changes(FULL, FULL.replace("          - Record the call\n", ""))
    assert (
        "risky",
        "opportunities",
        "touchpoint 'kickoff': opportunity 'Record the call' removed",
    ) in found


def test_evidence_upgraded_is_info() -> None:
    found = _changes(
        FULL, FULL.replace('level: reported, source: "NPS', 'level: observed, source: "NPS')
    )
    assert all(level != Level.RISKY.value for level, _, _ in found), found


def test_no_change_no_record() -> None:
    assert _changes(FULL, FULL) == []
