"""Mermaid diagrams of the markdown map, checked in the real Mermaid (headless Chromium):
labels cut at a word, the curve says which touchpoints it leaves out, blank names fall back to
ids, Mermaid's own entity placeholders show as written, and the flowchart's direction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from cljourney.graph import build_flow
from cljourney.load.journey import load_bytes
from cljourney.model import JourneyFile
from cljourney.render import IndexEntry, get_renderer, mermaid, mermaid_text, summarize
from cljourney.render.layout import PAGE_PX
from conftest import EXAMPLES
from engines import MermaidResult, mermaid_blocks, render_mermaid, require_engines

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

runner = CliRunner()
WORD_JOINER = "\u2060"

LONG_NAME = "Contract and signature of the master services agreement with legal review"
JOURNEY = f"""\
cljourney: 1
journey: {{id: deal, name: Deal, owner: ops}}
roles:
  - {{id: ae, name: Account executive}}
  - {{id: csm, name: Success manager}}
stages:
  - id: sell
    name: Sell
    owner: ae
    why: The customer decides with everything they need in front of them.
    touchpoints:
      - id: contract
        name: {LONG_NAME}
        why: The customer signs terms they have read and agreed with.
        customer: {{score: 4}}
      - id: invoice
        name: First invoice
        why: The customer pays only for what they signed.
  - id: start
    name: Start
    owner: csm
    why: The customer starts using what they bought the same week.
    touchpoints:
      - id: kickoff
        name: Kick-off
        why: The customer agrees goals and a go-live date in one call.
handoffs:
  - {{from: ae, to: csm, why: The customer never repeats their goals to a new person.}}
"""


def load(source: str) -> JourneyFile:
    loaded = load_bytes(source.encode("utf-8"), "journey.yaml")
    assert loaded is not None and loaded.journey is not None, loaded and loaded.findings
    return loaded.journey


def markdown(journey: JourneyFile) -> str:
    return get_renderer("markdown").render(journey, build_flow(journey), [])


def draw(journey: JourneyFile) -> list[MermaidResult]:
    results = render_mermaid(mermaid_blocks(markdown(journey)))
    for result in results:
        assert result.ok, f"{result.error}\n{result.source}"
    return results


@pytest.fixture(scope="module")
def engines() -> None:
    require_engines()


# --- labels cut at a word --------------------------------------------------------------------


def test_long_label_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    shown = mermaid_text.text(LONG_NAME)
    assert shown.endswith("\u2026") and len(shown) <= mermaid_text.LABEL_LIMIT
    kept = shown[:-1]
    assert LONG_NAME.startswith(kept) and LONG_NAME[len(kept)] == " "  # ends on a whole word
    assert len(kept) > mermaid_text.LABEL_LIMIT // 2


def test_one_long_word_is_still_cut_to_the_limit() -> None:
    shown = mermaid_text.text("x" * 200)
    assert shown == "x" * (mermaid_text.LABEL_LIMIT - 1) + "\u2026"


def test_cut_labels_in_the_real_mermaid(engines: None) -> None:
    flowchart, curve = draw(load(JOURNEY))
    kept = mermaid_text.text(LONG_NAME)
    assert any(label.startswith(kept) for label in flowchart.labels), flowchart.labels
    assert kept in curve.labels
    written = set(re.findall(r"[\w-]+", JOURNEY))
    # The accessible title and description (`accTitle`, `accDescr`) are ours, not cut labels.
    ours = {
        line.split(":", 1)[1].strip()
        for result in (flowchart, curve)
        for line in result.source.splitlines()
        if line.strip().startswith(("accTitle:", "accDescr:"))
    }
    for label in (*flowchart.labels, *curve.labels):
        if label.strip() in ours:
            continue
        for word in re.findall(r"[\w-]+", label):
            assert word in written, (word, label)  # no word is cut


# --- the curve says what it leaves out -------------------------------------------------------


def test_the_curve_says_how_many_touchpoints_have_no_score(engines: None) -> None:
    text = markdown(load(JOURNEY))
    curve = text[text.index("## Emotion curve") : text.index("## Stages")]
    assert "2 of 3 touchpoints have no score (`customer.score`), so the curve leaves them out." in (
        curve
    )
    assert curve.index("```\n\n2 of 3") > curve.index("```mermaid")  # under the diagram
    _, drawn = draw(load(JOURNEY))
    assert drawn.diagram_type == "journey" and len(drawn.labels) >= 1


def test_no_note_when_every_touchpoint_is_scored() -> None:
    text = markdown(load((EXAMPLES / "b2b-saas.yaml").read_text("utf-8")))
    assert "no score" not in text


# --- blank names fall back to the id ---------------------------------------------------------


def blank(journey: JourneyFile) -> JourneyFile:
    """The journey with whitespace-only journey, stage, touchpoint and role names (built without
    validation: `validate` may refuse such names, but the renderer must never draw them empty)."""
    stages = [
        stage.model_copy(
            update={
                "name": " \t ",
                "touchpoints": [tp.model_copy(update={"name": "  "}) for tp in stage.touchpoints],
            }
        )
        for stage in journey.stages
    ]
    roles = [role.model_copy(update={"name": "   "}) for role in journey.roles]
    info = journey.journey.model_copy(update={"name": "  "})
    return journey.model_copy(update={"journey": info, "stages": stages, "roles": roles})


def test_blank_names_draw_as_ids_in_the_real_mermaid(engines: None) -> None:
    journey = blank(load(JOURNEY))
    flowchart, curve = draw(journey)
    assert {"sell", "start"} <= set(flowchart.labels)  # stage subgraphs
    assert any(label.startswith("contract") for label in flowchart.labels)
    assert any("ae" in label for label in flowchart.labels)  # owner line: the role id
    assert {"deal", "sell", "contract"} <= set(curve.labels)  # title, section, task
    assert "ae" in curve.labels  # the actor


def test_blank_names_in_a_split_diagram_and_the_mermaid_index(engines: None) -> None:
    from test_render import big_journey

    journey = blank(big_journey(3, 250))
    flow = build_flow(journey)
    diagrams = mermaid.flowcharts(journey, flow, [])
    assert len(diagrams) > 1
    assert all(diagram.title and diagram.title.strip(": 0123456789") for diagram in diagrams)
    entry = IndexEntry("deal", " ", "deal.md", "deal.yaml", summarize(journey, []))
    index = get_renderer("mermaid").render_index([entry])
    results = render_mermaid([*(d.text for d in diagrams[:3]), index])
    assert all(result.ok for result in results), [r.error for r in results]
    overview, *_, drawn_index = results
    assert {stage.id for stage in journey.stages} <= {
        label.split()[0] for label in overview.labels
    }  # the overview names stages by id
    # The index's first label is now its accessible title ("Journey maps", accTitle).
    assert any(label.startswith("deal deal.md") for label in drawn_index.labels)


# --- Mermaid's entity placeholders show as written -------------------------------------------

PLACEHOLDERS = "A\ufb02\u00b0\u00b0amp\u00b6\u00df B \ufb02\u00b035\u00b6\u00df C"


def test_entity_placeholders_are_escaped_in_the_source() -> None:
    shown = mermaid_text.text(PLACEHOLDERS)
    assert "\ufb02\u00b0" not in shown and "\u00b6\u00df" not in shown


def test_entity_placeholders_show_as_written_in_the_real_mermaid(engines: None) -> None:
    source = JOURNEY.replace("name: Deal", f"name: T{PLACEHOLDERS}")
    source = source.replace("name: Sell", f"name: S{PLACEHOLDERS}")
    source = source.replace(f"name: {LONG_NAME}", f"name: N{PLACEHOLDERS}")
    source = source.replace("name: Account executive", f"name: R{PLACEHOLDERS}")
    flowchart, curve = draw(load(source))
    for result in (flowchart, curve):
        shown = [label.replace(WORD_JOINER, "") for label in result.labels]
        assert "&" not in " ".join(shown), shown  # nothing decoded into '&#' or '&'
    flow_shown = [label.replace(WORD_JOINER, "") for label in flowchart.labels]
    curve_shown = [label.replace(WORD_JOINER, "") for label in curve.labels]
    assert f"S{PLACEHOLDERS}" in flow_shown
    assert any(label.startswith(f"N{PLACEHOLDERS}") for label in flow_shown)
    assert any(f"R{PLACEHOLDERS}" in label for label in flow_shown)
    assert {f"T{PLACEHOLDERS}", f"S{PLACEHOLDERS}", f"N{PLACEHOLDERS}"} <= set(curve_shown)
    assert f"R{PLACEHOLDERS}" in curve_shown


# --- the flowchart's direction ---------------------------------------------------------------


def linear(count: int, stages: int = 2) -> str:
    """A journey of `count` touchpoints one after another, spread over `stages` stages."""
    lines = [
        "cljourney: 1",
        "journey: {id: line, name: Line, owner: ops}",
        "roles: [{id: ae, name: Account executive}, {id: csm, name: Customer success manager}]",
        "stages:",
    ]
    per_stage = -(-count // stages)
    for stage in range(stages):
        lines += [
            f"  - id: s{stage}",
            f"    name: Stage number {stage}",
            f"    owner: {'ae' if stage % 2 == 0 else 'csm'}",
            "    why: The customer moves on with what they need.",
            "    touchpoints:",
        ]
        for number in range(stage * per_stage, min(count, (stage + 1) * per_stage)):
            lines += [
                f"      - id: t{number}",
                f"        name: Touchpoint number {number} with a longer name",
                "        why: The customer gets this step done without waiting.",
            ]
    return "\n".join(lines) + "\n"


def fan(count: int, stages: int) -> str:
    """A journey that branches into `count` touchpoints side by side, then joins again."""
    branches = ", ".join(f"b{number}" for number in range(count))
    head = f"""\
cljourney: 1
journey: {{id: fan, name: Fan, owner: ops}}
roles: [{{id: ae, name: Account executive}}, {{id: csm, name: Customer success manager}}]
stages:
  - id: s0
    name: Stage
    owner: ae
    why: The customer moves on with what they need.
    touchpoints:
      - id: start
        name: Start here
        why: The customer starts here and picks a path.
        next: [{branches}]
"""
    if stages == 2:
        head += """\
  - id: s1
    name: Stage two
    owner: csm
    why: The customer moves on with what they need.
    touchpoints:
"""
    for number in range(count):
        head += f"""\
      - id: b{number}
        name: Branch number {number} of the journey
        why: The customer takes this branch when it suits them.
        next: [end]
"""
    return (
        head
        + """\
      - id: end
        name: End
        why: The customer finishes the journey here.
        terminal: true
"""
    )


SHAPES = {
    "two in a row": linear(2),
    "three in a row": linear(3),
    "six in a row": linear(6),
    "four in one stage": linear(4, stages=1),
    "fan of three": fan(3, 2),
    "fan of six": fan(6, 2),
    "fan of six in one stage": fan(6, 1),
    **{path.stem: path.read_text("utf-8") for path in sorted(EXAMPLES.glob("*.yaml"))},
}


def _width(result: MermaidResult) -> float:
    assert result.svg is not None
    match = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"', result.svg)
    assert match, result.svg[:300]
    return float(match.group(1))


def test_default_direction_is_the_one_github_shrinks_least(engines: None) -> None:
    """Drawn both ways in the real Mermaid: the default never needs more shrinking to fit
    GitHub's page than the other direction (5 % slack for the estimate)."""
    diagrams: list[str] = []
    defaults: list[str] = []
    for source in SHAPES.values():
        journey = load(source)
        flow = build_flow(journey)
        defaults.append(mermaid.flowchart(journey, flow, []).split("\n", 1)[0].split()[1])
        diagrams += [mermaid.flowchart(journey, flow, [], direction=d) for d in ("LR", "TB")]
    results = render_mermaid(diagrams)
    assert all(result.ok for result in results), [r.error for r in results]
    chosen_by_name = dict(zip(SHAPES, defaults, strict=True))
    for number, (name, default) in enumerate(chosen_by_name.items()):
        pair = results[2 * number : 2 * number + 2]
        widths = dict(zip(("LR", "TB"), map(_width, pair), strict=True))
        shrink = {d: max(1.0, width / PAGE_PX) for d, width in widths.items()}
        other = "TB" if default == "LR" else "LR"
        assert shrink[default] <= shrink[other] * 1.05, (name, default, widths)
    assert chosen_by_name["two in a row"] == "LR"  # short: reads left to right
    assert chosen_by_name["six in a row"] == "TB"  # long: would shrink to a third
    assert chosen_by_name["fan of six"] == "LR"  # wide: would shrink top to bottom
    assert chosen_by_name["b2b-saas"] == "TB"


def test_a_subgraph_linked_to_nothing_keeps_the_direction(engines: None) -> None:
    """Mermaid draws a subgraph with no link outside it in the opposite direction unless it
    says its own: a one-stage journey asked top to bottom must come out taller than wide."""
    journey = load(linear(4, stages=1))
    diagram = mermaid.flowchart(journey, build_flow(journey), [], direction="TB")
    assert "        direction TB" in diagram
    (result,) = render_mermaid([diagram])
    assert result.ok and result.svg is not None
    match = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', result.svg)
    assert match and float(match.group(2)) > float(match.group(1))


@pytest.mark.parametrize("fmt", ["markdown", "mermaid"])
def test_direction_option(tmp_path: Path, fmt: str) -> None:
    path = EXAMPLES / "b2b-saas.yaml"
    result = runner.invoke(app, ["render", str(path), "-f", fmt, "--direction", "LR"])
    assert result.exit_code == 0, result.output
    assert "flowchart LR\n" in result.stdout and "flowchart TB" not in result.stdout
    default = runner.invoke(app, ["render", str(path), "-f", fmt])
    assert "flowchart TB\n" in default.stdout


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_direction_is_a_usage_error_where_no_flowchart_is_drawn(fmt: str) -> None:
    result = runner.invoke(
        app, ["render", str(EXAMPLES / "b2b-saas.yaml"), "-f", fmt, "--direction", "TB"]
    )
    assert result.exit_code == 2
    assert "--direction" in result.stderr and fmt in result.stderr


def test_unknown_direction_is_a_usage_error() -> None:
    result = runner.invoke(app, ["render", str(EXAMPLES / "b2b-saas.yaml"), "--direction", "up"])
    assert result.exit_code == 2
