"""Every finding says what sort of element it concerns, and the maps draw it on that element."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cljourney.check.discover import Target
from cljourney.check.pipeline import check_loaded, load_target
from cljourney.cli.app import app
from cljourney.findings import Kind
from cljourney.graph import build_flow
from cljourney.render import get_renderer, marks
from cljourney.render.html._findings import place
from cljourney.rules import RuleOptions
from conftest import ROOT

BROKEN = ROOT / "tests" / "data" / "broken.yaml"

# (rule, element) -> kind, for every finding of broken.yaml.
BROKEN_KINDS = {
    ("schema", "kickoff"): Kind.TOUCHPOINT,
    ("unused-suppression", ""): Kind.NONE,
    ("ordering-cycle", "setup-b"): Kind.TOUCHPOINT,
    ("unknown-channel", "training"): Kind.TOUCHPOINT,
    ("dead-end", "stuck"): Kind.TOUCHPOINT,
    ("duplicate-event", "no-fit"): Kind.TOUCHPOINT,
    ("duplicate-id", "training"): Kind.TOUCHPOINT,
    ("missing-owner", "adopt"): Kind.STAGE,
    ("missing-owner", "forgotten"): Kind.TOUCHPOINT,
    ("orphaned-touchpoint", "forgotten"): Kind.TOUCHPOINT,
    ("stage-order", "qbr"): Kind.TOUCHPOINT,
    ("empty-stage", "expand"): Kind.STAGE,
    ("unknown-reference", "expand"): Kind.STAGE,
    ("missing-why", "renewal-call"): Kind.TOUCHPOINT,
    ("weak-why", "value-recap"): Kind.TOUCHPOINT,
    ("inward-why", "expansion-pitch"): Kind.TOUCHPOINT,
    ("handoff-gap", "help-desk"): Kind.TOUCHPOINT,
    ("unused-handoff", "support>ae"): Kind.HANDOFF,
    ("review-overdue", "broken"): Kind.JOURNEY,
    ("stale-evidence", "discovery"): Kind.TOUCHPOINT,
    ("ownerless", "discovery"): Kind.TOUCHPOINT,
    ("assumed-only", "onboard"): Kind.STAGE,
}

# A role, a stage and a touchpoint all called `onboard`, each with its own problem: the role is
# declared twice, the stage has no owner, the touchpoint has no why.
SHARED = """\
cljourney: 1
journey:
  id: shared
  name: Shared ids
  owner: cs-ops
  persona: Head of operations at a logistics company
  outcome: The team plans its week in the product
roles:
  - id: onboard
    name: Onboarding team
  - id: onboard
    name: Onboarding team again
stages:
  - id: onboard
    name: Onboard
    why: The customer gets set up and sees a first result in their own account.
    touchpoints:
      - id: onboard
        name: Onboarding call
        owner: onboard
      - id: first-result
        name: First result
        owner: onboard
        why: The customer sees their own data in a report they can share with their team.
"""


def test_every_finding_of_broken_yaml_has_its_kind() -> None:
    result = CliRunner().invoke(app, ["validate", "--format", "json", str(BROKEN)])
    findings = json.loads(result.stdout)["findings"]
    assert len(findings) == len(BROKEN_KINDS)
    found = {(f["rule"], f["element"]): f["kind"] for f in findings}
    assert found == {key: kind.value for key, kind in BROKEN_KINDS.items()}


def test_shared_ids_are_marked_on_the_right_element(tmp_path: Path) -> None:
    path = tmp_path / "shared.yaml"
    path.write_text(SHARED, encoding="utf-8")
    loaded = load_target(Target(path, explicit=True))
    assert loaded is not None and loaded.journey is not None
    journey = loaded.journey
    findings = check_loaded(loaded, RuleOptions())
    about = {(f.rule, f.kind) for f in findings if f.element == "onboard"}
    assert about == {
        ("duplicate-id", Kind.ROLE),
        ("missing-owner", Kind.STAGE),
        ("missing-why", Kind.TOUCHPOINT),
    }

    # Markdown (and its Mermaid flowchart): only the touchpoint's own error marks the touchpoint.
    assert marks.finding_marks(journey, findings) == {"onboard": "error"}
    text = get_renderer("markdown").render(journey, build_flow(journey), findings)
    rows = [
        line for line in text.splitlines() if line.startswith("| ") and "Onboarding call" in line
    ]
    assert len(rows) == 1 and marks.MARK_ERROR in rows[0]
    stage_only = [f for f in findings if f.kind is not Kind.TOUCHPOINT]
    assert marks.finding_marks(journey, stage_only) == {}

    # HTML: each finding is drawn on its own element; the role's stays in the journey list.
    placement = place(journey, findings)
    assert [f.rule for f in placement.touchpoints["onboard"]] == ["missing-why"]
    assert [f.rule for f in placement.stages["onboard"]] == ["missing-owner"]
    assert [f.kind for f in placement.journey] == [Kind.ROLE]
    html = get_renderer("html").render(journey, build_flow(journey), findings)
    assert html.count("missing-why") >= 1 and html.count("duplicate-id") >= 1
