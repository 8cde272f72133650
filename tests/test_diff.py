"""The semantic diff: each kind of change and its level, formatting that never counts, reorders as
minimal moves, and the validation findings a change introduces or fixes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from cljourney.diff.compare import diff_journeys
from cljourney.diff.levels import (
    HANDOFF_FIELDS,
    JOURNEY_FIELDS,
    ROLE_FIELDS,
    STAGE_FIELDS,
    TOUCHPOINT_FIELDS,
)
from cljourney.diff.moves import minimal_moves
from cljourney.diff.pairing import DiffResult, SourceFile, compare, source_text
from cljourney.diff.records import Change
from cljourney.load.journey import Loaded, load_bytes
from cljourney.model import (
    CustomerMoment,
    Handoff,
    JourneyFile,
    JourneyInfo,
    Role,
    Stage,
    Touchpoint,
)
from conftest import ROOT

DATA = ROOT / "tests" / "data" / "diff"
BASE = (DATA / "base.yaml").read_text(encoding="utf-8")

Row = tuple[str, str, str, "str | None", str]


def load(text: str, path: str = "journey.yaml") -> Loaded:
    loaded = load_bytes(text.encode("utf-8"), path)
    assert loaded is not None
    return loaded


def run(old: str | None, new: str | None) -> DiffResult:
    before = [source_text("journey.yaml", old, "old.yaml")] if old is not None else []
    after = [source_text("journey.yaml", new, "new.yaml")] if new is not None else []
    return compare(before, after, old_label="old", new_label="new")


def rows(changes: list[Change]) -> set[Row]:
    return {(c.kind.value, c.entity.value, c.id, c.field, c.level.value) for c in changes}


def edit(text: str, *replacements: tuple[str, str]) -> str:
    """`text` with each (old, new) replaced; `old` must occur exactly once, so edits stay exact."""
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


TRAINING = """      - id: training
        name: Product training
        channel: email
        why: The customer's team learns the workflows they will use every day.
"""
NEW_TOUCHPOINT = """      - id: checklist
        name: Setup checklist
        channel: email
        why: The customer knows every step left before their team can go live.
"""
SUPPORT_STAGE = BASE[BASE.index("  - id: support\n    name: Ongoing") : BASE.index("handoffs:")]
NEW_STAGE = """  - id: renewal
    name: Renewal
    owner: support
    why: The customer decides to stay with evidence of the value they got.
    touchpoints:
      - id: renewal-review
        name: Renewal review
        channel: video
        why: The customer sees the year's results before they decide to renew.
        terminal: true
"""
HANDOFF_AE_CSM = BASE[BASE.index("  - from: ae") : BASE.index("  - from: csm")]
STAGE_WHY = "    why: The customer reaches first value quickly with a guide at their side.\n"
UNUSED_ROLE = "  - id: bdr\n    name: Business development rep\n"

# (old text, new text, expected rows): each case is one edit to the base journey.
CASES: dict[str, tuple[str, str, set[Row]]] = {
    "touchpoint-removed": (
        BASE,
        edit(BASE, (TRAINING, "")),
        {("removed", "touchpoint", "training", None, "breaking")},
    ),
    "touchpoint-added": (
        BASE,
        edit(BASE, (TRAINING, TRAINING + NEW_TOUCHPOINT)),
        {("added", "touchpoint", "checklist", None, "info")},
    ),
    "stage-added": (
        BASE,
        edit(BASE, ("        terminal: true\n", ""), ("handoffs:", NEW_STAGE + "handoffs:")),
        {
            ("added", "stage", "renewal", None, "info"),
            ("added", "touchpoint", "renewal-review", None, "info"),
            ("changed", "touchpoint", "ticket", "terminal", "risky"),
            # support owns both stages: no handoff needed, nothing else changes
        },
    ),
    "role-added": (
        BASE,
        edit(BASE, ("roles:\n", "roles:\n" + UNUSED_ROLE)),
        {("added", "role", "bdr", None, "info")},
    ),
    "role-removed": (
        edit(BASE, ("roles:\n", "roles:\n" + UNUSED_ROLE)),
        BASE,
        {("removed", "role", "bdr", None, "risky")},
    ),
    "role-renamed": (
        BASE,
        edit(BASE, ("name: Support engineer", "name: Support specialist")),
        {("changed", "role", "support", "name", "info")},
    ),
    "handoff-removed": (
        BASE,
        edit(BASE, (HANDOFF_AE_CSM, "")),
        {
            ("removed", "handoff", "ae>csm@kickoff", None, "breaking"),
            ("added", "finding", "handoff-gap", None, "risky"),
        },
    ),
    "handoff-added": (
        edit(BASE, (HANDOFF_AE_CSM, "")),
        BASE,
        {
            ("added", "handoff", "ae>csm@kickoff", None, "info"),
            ("removed", "finding", "handoff-gap", None, "info"),
        },
    ),
    "handoff-carries-less": (
        BASE,
        edit(BASE, ("[Success criteria, Stakeholder map]", "[Success criteria]")),
        {("changed", "handoff", "ae>csm@kickoff", "carries", "risky")},
    ),
    "handoff-carries-more": (
        BASE,
        edit(
            BASE,
            ("[Success criteria, Stakeholder map]", "[Success criteria, Stakeholder map, Goals]"),
        ),
        {("changed", "handoff", "ae>csm@kickoff", "carries", "info")},
    ),
    "why-removed": (
        BASE,
        edit(BASE, (STAGE_WHY, "")),
        {
            ("changed", "stage", "onboarding", "why", "breaking"),
            ("added", "finding", "missing-why", None, "breaking"),
        },
    ),
    "why-added": (
        edit(BASE, (STAGE_WHY, "")),
        BASE,
        {
            ("changed", "stage", "onboarding", "why", "info"),
            ("removed", "finding", "missing-why", None, "info"),
        },
    ),
    "why-rewritten": (
        BASE,
        edit(BASE, ("with a guide at their side.", "with their CSM a call away.")),
        {("changed", "stage", "onboarding", "why", "risky")},
    ),
    "why-made-weak": (
        BASE,
        edit(BASE, ("why: The customer sees their own use case working on real data.", "why: TBD")),
        {
            ("changed", "touchpoint", "demo", "why", "risky"),
            ("added", "finding", "weak-why", None, "risky"),
        },
    ),
    # the owner that applies is compared: restating the stage's owner changes nothing
    "owner-restated-as-the-stage-owner": (
        BASE,
        edit(
            BASE,
            (
                "        name: First report shared\n",
                "        name: First report shared\n        owner: csm\n",
            ),
        ),
        set(),
    ),
    "owner-changed": (
        BASE,
        edit(
            BASE,
            (
                "        name: First report shared\n",
                "        name: First report shared\n        owner: ae\n",
            ),
        ),
        {
            ("changed", "touchpoint", "first-value", "owner", "risky"),
            ("added", "finding", "handoff-gap", None, "risky"),
            ("added", "finding", "unused-handoff", None, "risky"),
        },
    ),
    # one change on the stage, not one per touchpoint that follows it
    "stage-owner-changed": (
        BASE,
        edit(BASE, ("    owner: csm\n", "    owner: ae\n")),
        {
            ("changed", "stage", "onboarding", "owner", "risky"),
            ("added", "finding", "handoff-gap", None, "risky"),
            ("added", "finding", "unused-handoff", None, "risky"),
        },
    ),
    "touchpoint-id-renamed": (
        BASE,
        edit(BASE, ("      - id: training\n", "      - id: product-training\n")),
        {("renamed", "touchpoint", "product-training", "id", "risky")},
    ),
    "touchpoint-id-renamed-and-reworded": (
        BASE,
        edit(
            BASE,
            ("      - id: training\n", "      - id: product-training\n"),
            ("name: Product training", "name: Product training sessions"),
        ),
        {
            ("renamed", "touchpoint", "product-training", "id", "risky"),
            ("changed", "touchpoint", "product-training", "name", "info"),
        },
    ),
    # the touchpoint a handoff happens at is renamed, and the handoff follows it
    "touchpoint-with-handoff-renamed": (
        BASE,
        edit(
            BASE,
            ("      - id: kickoff\n", "      - id: kick-off\n"),
            ("    at: kickoff\n", "    at: kick-off\n"),
        ),
        {("renamed", "touchpoint", "kick-off", "id", "risky")},
    ),
    # the `next` that names it is updated too: still one change
    "touchpoint-renamed-with-its-references": (
        edit(
            BASE,
            (
                "        name: Kick-off call\n",
                "        name: Kick-off call\n        next: [training]\n",
            ),
        ),
        edit(
            BASE,
            (
                "        name: Kick-off call\n",
                "        name: Kick-off call\n        next: [product-training]\n",
            ),
            ("      - id: training\n", "      - id: product-training\n"),
        ),
        {("renamed", "touchpoint", "product-training", "id", "risky")},
    ),
    "stage-id-renamed": (
        BASE,
        edit(BASE, ("  - id: onboarding\n", "  - id: getting-started\n")),
        {("renamed", "stage", "getting-started", "id", "risky")},
    ),
    # a role's id renamed with every owner and handoff naming it
    "role-id-renamed": (
        BASE,
        BASE.replace("id: csm\n", "id: cs-manager\n")
        .replace("owner: csm\n", "owner: cs-manager\n")
        .replace("to: csm\n", "to: cs-manager\n")
        .replace("from: csm\n", "from: cs-manager\n"),
        {("renamed", "role", "cs-manager", "id", "risky")},
    ),
    # a different touchpoint in place of a removed one is no rename
    "touchpoint-replaced": (
        BASE,
        edit(BASE, (TRAINING, NEW_TOUCHPOINT)),
        {
            ("removed", "touchpoint", "training", None, "breaking"),
            ("added", "touchpoint", "checklist", None, "info"),
        },
    ),
    "why-empty-where-none-was": (
        edit(BASE, (STAGE_WHY, "")),
        edit(BASE, (STAGE_WHY, '    why: ""\n')),
        set(),
    ),
    "channel-changed": (
        BASE,
        edit(
            BASE,
            (
                "        name: Product training\n        channel: email",
                "        name: Product training\n        channel: video",
            ),
        ),
        {("changed", "touchpoint", "training", "channel", "risky")},
    ),
    "channel-unknown": (
        BASE,
        edit(
            BASE,
            (
                "        name: Product training\n        channel: email",
                "        name: Product training\n        channel: fax",
            ),
        ),
        {
            ("changed", "touchpoint", "training", "channel", "risky"),
            ("added", "finding", "unknown-channel", None, "breaking"),
        },
    ),
    "name-reworded": (
        BASE,
        edit(BASE, ("name: Kick-off call", "name: Kick-off meeting")),
        {("changed", "touchpoint", "kickoff", "name", "info")},
    ),
    "score-dropped": (
        BASE,
        edit(BASE, ("score: 4", "score: 2")),
        {("changed", "touchpoint", "demo", "customer.score", "risky")},
    ),
    "score-raised": (
        BASE,
        edit(BASE, ("score: 4", "score: 5")),
        {("changed", "touchpoint", "demo", "customer.score", "info")},
    ),
    "feeling-reworded": (
        BASE,
        edit(BASE, ("feels: curious", "feels: hopeful")),
        {("changed", "touchpoint", "demo", "customer.feels", "info")},
    ),
    "next-added": (
        BASE,
        edit(
            BASE,
            (
                "        name: Product demo\n",
                "        name: Product demo\n        next: [proposal]\n",
            ),
        ),
        {("changed", "touchpoint", "demo", "next", "risky")},
    ),
    "terminal-dropped": (
        BASE,
        edit(BASE, ("        terminal: true\n", "")),
        {("changed", "touchpoint", "ticket", "terminal", "risky")},
    ),
    "journey-renamed": (
        BASE,
        edit(BASE, ("name: Trial to paid", "name: Trial to paid customer")),
        {("changed", "journey", "", "name", "info")},
    ),
    "channel-vocabulary-grown": (
        BASE,
        edit(BASE, ("channels: [email, video, in-app]", "channels: [email, video, in-app, phone]")),
        {("changed", "journey", "", "channels", "info")},
    ),
    "touchpoint-moved-across-stages": (
        BASE,
        edit(BASE, (TRAINING, ""), ("      - id: ticket\n", TRAINING + "      - id: ticket\n")),
        {
            ("moved", "touchpoint", "training", "stage", "risky"),
            # it now takes the support stage's owner: someone else serves the customer there
            ("changed", "touchpoint", "training", "owner", "risky"),
            # support now takes over at training, not at the ticket the handoff names
            ("added", "finding", "unused-handoff", None, "risky"),
        },
    ),
    "touchpoints-reordered": (
        BASE,
        edit(BASE, (TRAINING, ""), ("      - id: setup\n", TRAINING + "      - id: setup\n")),
        # kickoff, training, setup, first-value: moving one of the two is the minimal edit
        {("reordered", "touchpoint", "setup", "position", "risky")},
    ),
    "stage-removed": (
        BASE,
        edit(BASE, (SUPPORT_STAGE, "")),
        {
            ("removed", "stage", "support", None, "breaking"),
            ("removed", "touchpoint", "ticket", None, "breaking"),
            # the csm > support handoff now points at a touchpoint that is gone
            ("added", "finding", "unknown-reference", None, "breaking"),
            ("added", "finding", "unused-handoff", None, "risky"),
        },
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_change_kind_and_level(case: str) -> None:
    old, new, expected = CASES[case]
    assert load(old).journey is not None and load(new).journey is not None
    assert rows(run(old, new).changes) == expected


def test_stage_reorder_is_one_move() -> None:
    sales = BASE[BASE.index("  - id: sales\n") : BASE.index("  - id: onboarding\n")]
    new = edit(
        BASE,
        (sales, ""),
        ("  - id: support\n    name: Ongoing", sales + "  - id: support\n    name: Ongoing"),
    )
    model_changes = [c for c in run(BASE, new).changes if c.entity.value != "finding"]
    assert rows(model_changes) == {("reordered", "stage", "sales", "position", "risky")}
    assert (model_changes[0].before, model_changes[0].after) == (1, 2)


def test_owner_changes_name_the_owners_that_apply() -> None:
    """The stage's owner is the touchpoint's until it sets its own: 'csm' -> 'ae', not
    (none) -> 'ae'; a stage owner change is reported once, counting the touchpoints it moves."""
    own = edit(
        BASE,
        (
            "        name: First report shared\n",
            "        name: First report shared\n        owner: ae\n",
        ),
    )
    stage = edit(BASE, ("    owner: csm\n", "    owner: ae\n"))
    messages = [c.message for c in run(BASE, own).changes if c.entity.value == "touchpoint"]
    assert messages == ["touchpoint 'first-value': owner changed from 'csm' to 'ae'"]
    changes = [c for c in run(BASE, stage).changes if c.entity.value != "finding"]
    assert [(c.id, c.before, c.after, c.message) for c in changes] == [
        (
            "onboarding",
            "csm",
            "ae",
            "stage 'onboarding': owner changed from 'csm' to 'ae' (moves 4 touchpoints to 'ae')",
        )
    ]


def test_a_rename_names_both_ids() -> None:
    new = edit(BASE, ("      - id: training\n", "      - id: product-training\n"))
    (change,) = run(BASE, new).changes
    assert (change.before, change.after, change.stage) == (
        "training",
        "product-training",
        "onboarding",
    )
    assert change.message.startswith("touchpoint 'training' renamed to 'product-training'")


def test_messages_name_the_element_and_the_change() -> None:
    old, new, _ = CASES["touchpoint-moved-across-stages"]
    change = run(old, new).changes[0]
    assert change.message == "touchpoint 'training' moved from stage 'onboarding' to 'support'"
    assert (change.before, change.after, change.stage) == ("onboarding", "support", "support")
    old, new, _ = CASES["score-dropped"]
    (change,) = run(old, new).changes
    assert change.message == "touchpoint 'demo': customer score dropped from 4 to 2"


def test_changed_text_keeps_before_and_after() -> None:
    old, new, _ = CASES["why-rewritten"]
    (change,) = run(old, new).changes
    assert change.before == "The customer reaches first value quickly with a guide at their side."
    assert change.after == "The customer reaches first value quickly with their CSM a call away."


def test_formatting_only_edits_give_no_change() -> None:
    reformatted = (DATA / "base-reformatted.yaml").read_text(encoding="utf-8")
    # the models differ only in whitespace inside text (block scalars, re-wrapped lines)
    assert load(reformatted).journey != load(BASE).journey
    assert run(BASE, reformatted).changes == []


@pytest.mark.parametrize("sort_keys", [False, True], ids=["key-order-kept", "keys-sorted"])
@pytest.mark.parametrize("flow", [False, True, None], ids=["block", "flow", "mixed"])
@pytest.mark.parametrize("width", [40, 1000], ids=["wrapped", "long-lines"])
@pytest.mark.parametrize("indent", [2, 4])
def test_yaml_re_emitted_in_any_style_gives_no_change(
    sort_keys: bool, flow: bool | None, width: int, indent: int
) -> None:
    data = yaml.safe_load(BASE)
    text = yaml.safe_dump(
        data,
        sort_keys=sort_keys,
        default_flow_style=flow,
        width=width,
        indent=indent,
        allow_unicode=True,
    )
    assert text != BASE
    assert run(BASE, text).changes == []


def test_journey_added_and_removed() -> None:
    (added,) = run(None, BASE).changes
    assert (added.kind.value, added.entity.value, added.id, added.level.value) == (
        "added",
        "journey",
        "trial",
        "info",
    )
    assert added.message == "journey 'trial' added (3 stages, 7 touchpoints)"
    (removed,) = run(BASE, None).changes
    assert (removed.kind.value, removed.level.value) == ("removed", "breaking")


def test_added_journey_brings_its_findings() -> None:
    weak = edit(
        BASE, ("why: The customer sees their own use case working on real data.", "why: TBD")
    )
    assert rows(run(None, weak).changes) == {
        ("added", "journey", "trial", None, "info"),
        ("added", "finding", "weak-why", None, "risky"),
    }


def test_broken_yaml_is_reported_as_the_findings_it_introduces() -> None:
    broken = BASE.replace("  - id: ae\n", "  - id: ae\n  : [", 1)
    result = run(BASE, broken)
    assert {(c.entity.value, c.id, c.level.value) for c in result.changes} == {
        ("finding", "yaml-syntax", "breaking")
    }
    mended = run(broken, BASE)
    assert {(c.kind.value, c.id, c.level.value) for c in mended.changes} == {
        ("removed", "yaml-syntax", "info")
    }


def test_finding_changes_are_grouped_under_their_stage() -> None:
    old, new, _ = CASES["why-removed"]
    finding = next(c for c in run(old, new).changes if c.entity.value == "finding")
    assert finding.stage == "onboarding"
    assert finding.message.startswith("introduces error missing-why: stage 'onboarding' has no")


def test_no_change_for_identical_models() -> None:
    model = load(BASE).journey
    assert diff_journeys(model, model) == []
    assert diff_journeys(None, None) == []


def _compared(model: type[BaseModel], listed: tuple[str, ...], structural: set[str]) -> None:
    top = {path.split(".")[0] for path in listed}
    names = {field.alias or name for name, field in model.model_fields.items()}
    assert names == top | structural, f"{model.__name__}: fields not compared by the diff"


def test_every_model_field_is_compared() -> None:
    """A field added to the format must be added to the diff (or declared structural here)."""
    _compared(JourneyFile, ("channels",), {"cljourney", "journey", "roles", "stages", "handoffs"})
    _compared(JourneyInfo, JOURNEY_FIELDS[:-1], {"id"})
    _compared(Role, ROLE_FIELDS, {"id"})
    _compared(Stage, STAGE_FIELDS, {"id", "touchpoints"})
    _compared(Touchpoint, TOUCHPOINT_FIELDS, {"id"})
    _compared(Handoff, HANDOFF_FIELDS, {"from", "to", "at"})
    customer = {path.split(".")[1] for path in TOUCHPOINT_FIELDS if path.startswith("customer.")}
    assert customer == set(CustomerMoment.model_fields)


@pytest.mark.parametrize(
    ("old", "new", "moved"),
    [
        ("abcd", "abcd", ""),
        ("abcd", "bcda", "a"),
        ("abcd", "dabc", "d"),
        ("abcd", "acbd", "b"),
        ("abcd", "dcba", "cba"),
        ("abcdef", "bacdfe", "ae"),  # ties: the item that comes later in the new order moved
        ("abc", "xbyc", ""),  # items added or removed are not moves
    ],
)
def test_minimal_moves(old: str, new: str, moved: str) -> None:
    assert "".join(minimal_moves(list(old), list(new))) == moved


def _lis_length(keys: list[int]) -> int:
    best = [1] * len(keys)
    for i in range(len(keys)):
        for j in range(i):
            if keys[j] < keys[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@given(st.permutations(list(range(12))))
def test_minimal_moves_is_minimal_and_keeps_the_rest_in_order(order: list[int]) -> None:
    old = [str(i) for i in range(12)]
    new = [str(i) for i in order]
    moved = minimal_moves(old, new)
    assert len(moved) == len(old) - _lis_length(order)
    kept_old = [item for item in old if item not in moved]
    kept_new = [item for item in new if item not in moved]
    assert kept_old == kept_new


def test_paths_do_not_matter_only_ids(tmp_path: Path) -> None:
    before = [source_text("old-name.yaml", BASE, "old-name.yaml")]
    after = [source_text("renamed/new-name.yaml", BASE, "renamed/new-name.yaml")]
    result = compare(before, after, old_label="a", new_label="b")
    assert result.changes == []
    assert len(result.journeys) == 1


def test_a_broken_file_pairs_with_its_own_earlier_version_only() -> None:
    broken = BASE.replace("  - id: ae\n", "  - id: ae\n  : [", 1)
    other = BASE.replace("id: trial\n", "id: other\n", 1)

    def side(*files: tuple[str, str]) -> list[SourceFile]:
        return [source_text(rel, text, rel) for rel, text in files]

    same_path = compare(
        side(("a.yaml", BASE), ("b.yaml", other)),
        side(("a.yaml", broken), ("b.yaml", other)),
        old_label="",
        new_label="",
    )
    assert {(c.entity.value, c.id) for c in same_path.changes} == {("finding", "yaml-syntax")}
    elsewhere = compare(
        side(("a.yaml", BASE), ("b.yaml", other)),
        side(("c.yaml", broken), ("b.yaml", other)),
        old_label="",
        new_label="",
    )
    assert {(c.kind.value, c.entity.value, c.id) for c in elsewhere.changes} == {
        ("added", "finding", "yaml-syntax"),
        ("removed", "journey", "trial"),
    }


SUPPORT_STAGE = "    why: The customer gets unblocked fast whenever something goes wrong.\n"


def during_changes(old: str, new: str) -> list[Change]:
    return [c for c in run(old, new).changes if c.field == "during"]


def test_during_added_removed_and_changed_are_risky() -> None:
    """Customers gain or lose the lane in the stages it runs during (issue 13)."""
    lane = edit(BASE, (SUPPORT_STAGE, SUPPORT_STAGE + "    during: [onboarding]\n"))
    wider = edit(BASE, (SUPPORT_STAGE, SUPPORT_STAGE + "    during: [sales, onboarding]\n"))
    everywhere = edit(BASE, (SUPPORT_STAGE, SUPPORT_STAGE + "    during: all\n"))
    [added] = during_changes(BASE, lane)
    [removed] = during_changes(lane, BASE)
    [changed] = during_changes(lane, wider)
    [narrowed] = during_changes(everywhere, lane)
    for change in (added, removed, changed, narrowed):
        assert (change.kind.value, change.entity.value, change.id, change.level.value) == (
            "changed",
            "stage",
            "support",
            "risky",
        )
    assert (added.before, added.after) == (None, ("onboarding",))
    assert "now runs in parallel, during [onboarding]" in added.message
    assert "no longer runs in parallel" in removed.message
    assert "now also during sales" in changed.message
    assert (narrowed.before, narrowed.after) == ("all", ("onboarding",))


def test_moving_a_parallel_stage_in_the_file_is_no_reorder() -> None:
    lane = edit(BASE, (SUPPORT_STAGE, SUPPORT_STAGE + "    during: [onboarding]\n"))
    support = lane[lane.index("  - id: support\n    name: Ongoing") : lane.index("handoffs:\n")]
    first = edit(lane, (support, ""), ("  - id: sales\n", support + "  - id: sales\n"))
    assert load(first).journey is not None
    assert [c for c in run(lane, first).changes if c.entity.value != "finding"] == []


def test_during_in_another_order_is_no_change() -> None:
    """`during` is a set of stages: the lane is entered from the same stages in any order."""
    one = edit(BASE, (SUPPORT_STAGE, SUPPORT_STAGE + "    during: [sales, onboarding]\n"))
    other = edit(BASE, (SUPPORT_STAGE, SUPPORT_STAGE + "    during: [onboarding, sales]\n"))
    assert during_changes(one, other) == []


def test_during_all_is_said_as_every_stage_not_as_a_stage_named_all() -> None:
    lane = edit(BASE, (SUPPORT_STAGE, SUPPORT_STAGE + "    during: [onboarding]\n"))
    everywhere = edit(BASE, (SUPPORT_STAGE, SUPPORT_STAGE + "    during: all\n"))
    [widened] = during_changes(lane, everywhere)
    [narrowed] = during_changes(everywhere, lane)
    assert widened.message == (
        "stage 'support': runs during [onboarding] -> all (now during every stage)"
    )
    assert narrowed.message == (
        "stage 'support': runs during all -> [onboarding] (no longer during every stage,"
        " only during onboarding)"
    )
