"""Parallel stages (`during`): lanes that run alongside the ordinary stages (issue 13)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cljourney.check.pipeline import validate
from cljourney.cli.app import app
from cljourney.graph import ENTER, RETURN, build_flow
from cljourney.load.journey import load_bytes
from cljourney.model import JourneyFile
from cljourney.render import html, markdown, mermaid
from conftest import EXAMPLES, ROOT, RULE_CASES, expectations
from engines import open_page, render_mermaid, require_engines
from test_render import big_journey

# Rule cases with a parallel stage: `during-*fail.yaml` finds what its `# expect:` comments say
# (its own rule among them), `during-*pass.yaml` finds nothing.
CASES = sorted(RULE_CASES.glob("*/during*.yaml"))
B2B = EXAMPLES / "b2b-saas.yaml"
SUPPORT_LAST = ROOT / "tests" / "data" / "b2b-saas-support-last.yaml"


def journey(path: Path) -> JourneyFile:
    loaded = load_bytes(path.read_bytes(), path.name)
    assert loaded is not None and loaded.journey is not None
    return loaded.journey


def found(path: Path) -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in validate([path]).findings}


def test_every_rule_that_knows_lanes_has_cases() -> None:
    rules = {case.parent.name for case in CASES}
    assert rules >= {
        "dead-end",
        "handoff-gap",
        "orphaned-touchpoint",
        "ordering-cycle",
        "schema",
        "stage-order",
        "unknown-reference",
        "unused-handoff",
    }


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_rule_case_with_a_parallel_stage(case: Path) -> None:
    expected = expectations(case)
    if case.stem.endswith("fail"):
        assert any(rule == case.parent.name for rule, _ in expected)
    else:
        assert expected == set()
    assert found(case) == expected


def test_b2b_saas_with_support_in_parallel_validates_clean() -> None:
    model = journey(B2B)
    support = next(stage for stage in model.stages if stage.id == "support")
    assert support.during == ["onboarding", "ongoing", "renewal"]
    assert validate([B2B]).findings == []


def test_support_written_as_a_last_stage_still_validates() -> None:
    model = journey(SUPPORT_LAST)
    assert model.stages[-1].id == "support" and model.stages[-1].during is None
    assert validate([SUPPORT_LAST]).findings == []


def test_entering_and_returning_follow_the_stages_served() -> None:
    flow = build_flow(journey(B2B))
    [lane] = flow.lanes
    stages = [stage.id for stage in flow.journey.stages]
    assert [stages[i] for i in flow.served(lane)] == ["onboarding", "ongoing", "renewal"]
    assert lane.first is not None and lane.first.id == "support-ticket"
    assert lane.end is not None and lane.end.id == "ticket-resolved"
    assert [stages[lane.stage_index] for lane in flow.entries(stages.index("ongoing"))] == [
        "support"
    ]
    assert flow.entries(stages.index("sales")) == ()
    # The lane is not part of the lifecycle order: the implicit order skips it, the journey
    # starts in the first ordinary stage, and no lane touchpoint is must-pass.
    assert flow.start is not None and flow.start.id == "discovery-call"
    assert all(not flow.in_lane(p) for p in flow.must_pass)
    kinds = {d["kind"] for *_, d in flow.graph.edges(data=True)}
    assert {ENTER, RETURN} <= kinds


def test_must_pass_is_the_same_with_or_without_the_lane() -> None:
    model = journey(B2B)
    without = model.model_copy(
        update={"stages": [stage for stage in model.stages if stage.during is None]}
    )
    assert [p.id for p in build_flow(model).must_pass] == [
        p.id for p in build_flow(without).must_pass
    ]


def lanes_everywhere(ordinary: int, lanes: int) -> str:
    """A journey of `ordinary` one-touchpoint stages and `lanes` lanes running `during: all`."""
    lines = ["cljourney: 1", "journey: {id: big, name: Big, owner: x}", "stages:"]
    for i in range(ordinary):
        lines += [f"  - id: s{i}", "    name: S", f"    touchpoints: [{{id: t{i}, name: T}}]"]
    for i in range(lanes):
        lines += [
            f"  - id: l{i}",
            "    name: L",
            "    during: all",
            f"    touchpoints: [{{id: l{i}-a, name: A}}, {{id: l{i}-b, name: B}}]",
        ]
    return "\n".join(lines) + "\n"


def test_enter_and_return_edges_stay_linear() -> None:
    """Every touchpoint can enter every lane, yet the graph grows with N + L, not N * L."""
    sizes = []
    for n in (50, 100, 200):
        loaded = load_bytes(lanes_everywhere(n, n).encode(), "big.yaml")
        assert loaded is not None and loaded.journey is not None
        flow = build_flow(loaded.journey)
        assert len(flow.reachable) == 3 * n  # every lane touchpoint is reachable
        sizes.append(flow.graph.number_of_edges())
    assert sizes[2] - sizes[1] == 2 * (sizes[1] - sizes[0])
    assert sizes[2] < 10 * 3 * 200


def test_json_schema_describes_during() -> None:
    result = CliRunner().invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    during = schema["$defs"]["Stage"]["properties"]["during"]
    assert "parallel" in during["description"]
    validator = jsonschema.Draft202012Validator(schema)
    document = {
        "cljourney": 1,
        "journey": {"id": "j", "name": "J", "owner": "x"},
        "stages": [{"id": "a", "name": "A"}, {"id": "b", "name": "B", "during": ["a"]}],
    }
    assert validator.is_valid(document)
    for bad in ([], None, "a", ["A b"]):
        document["stages"][1]["during"] = bad  # type: ignore[index]
        assert not validator.is_valid(document), bad
    document["stages"][1]["during"] = "all"  # type: ignore[index]
    assert validator.is_valid(document)


def test_empty_during_is_a_schema_error_that_says_what_to_write(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(
        "cljourney: 1\njourney: {id: d, name: D, owner: x}\n"
        "stages:\n  - id: a\n    name: A\n  - id: b\n    name: B\n    during:\n"
    )
    [finding] = validate([path]).findings
    assert (finding.rule, finding.line) == ("schema", 8)
    assert "`during: all`" in finding.message


# Through the real engines: the flowchart in headless Chromium's Mermaid, the HTML map in Chromium.


def test_flowchart_draws_lanes_with_dotted_entry_and_return_in_mermaid() -> None:
    require_engines()
    maps = {}
    for path in (B2B, EXAMPLES / "b2c-retail.yaml"):
        model = journey(path)
        maps[path.name] = (model, mermaid.flowchart(model, build_flow(model), []))
    results = render_mermaid([chart for _model, chart in maps.values()])
    for (name, (model, _chart)), result in zip(maps.items(), results, strict=True):
        assert result.ok, f"{name}: {result.error}"
        assert result.inert
        lanes = [stage for stage in model.stages if stage.during is not None]
        served = sum(len(stage.during or ()) for stage in lanes)
        # One dotted entry and one dotted return per served stage, not one per touchpoint.
        assert result.labels.count("enter") == served, name
        assert result.labels.count("return") == served, name
        loops = sum(len(tp.loops_to) for stage in model.stages for tp in stage.touchpoints)
        assert result.svg is not None
        dotted = re.findall(r'<path [^>]*class="[^"]*edge-pattern-dotted', result.svg)
        assert len(dotted) == 2 * served + loops, name
        for stage in lanes:
            assert f"{stage.name} (parallel)" in result.labels


def test_html_lane_runs_under_the_stages_it_serves_in_chromium(tmp_path: Path) -> None:
    require_engines()
    model = journey(B2B)
    page = tmp_path / "b2b.html"
    page.write_text(html.render(model, build_flow(model), []), encoding="utf-8")
    boxes = (
        "Object.fromEntries([...document.querySelectorAll('.stage, .stage-lane')].map(e => {"
        " const r = e.getBoundingClientRect();"
        " return [e.id, [r.left, r.right, r.top, r.bottom, e.querySelectorAll('.tp').length]]; }))"
    )
    result = open_page(page, eval_js=boxes, width=4200, height=2000)
    assert not (result.requests or result.console_errors or result.page_errors)
    ids = [stage.id for stage in model.stages]
    box = {ids[int(key.split("-")[1]) - 1]: value for key, value in result.eval_result.items()}
    lane, first, last = box["support"], box["onboarding"], box["renewal"]
    assert lane[4] == 3  # its three cards, in the lane
    assert abs(lane[0] - first[0]) < 1 and abs(lane[1] - last[1]) < 1  # spans those columns
    assert lane[2] >= max(box[s][3] for s in ("sales", "onboarding", "ongoing", "renewal"))
    assert lane[0] > box["sales"][1]  # not under the stage it does not run during
    # The emotion curve keeps to the main journey: one point per scored ordinary touchpoint.
    points = open_page(page, eval_js="document.querySelectorAll('.curve .point').length")
    main = [tp for stage in model.stages if stage.during is None for tp in stage.touchpoints]
    assert points.eval_result == sum(1 for tp in main if tp.customer and tp.customer.score)


def test_render_json_lists_parallel_stages_and_lane_edges() -> None:
    result = CliRunner().invoke(app, ["render", "--format", "json", str(B2B)])
    assert result.exit_code == 0, result.output
    flow = json.loads(result.stdout)["flow"]
    stages = {stage["id"]: stage for stage in flow["stages"]}
    assert stages["support"] == {
        "id": "support",
        "parallel": True,
        "during": ["onboarding", "ongoing", "renewal"],
    }
    assert stages["sales"] == {"id": "sales", "parallel": False, "during": None}
    served = ["onboarding", "ongoing", "renewal"]
    assert [e for e in flow["lane_edges"] if e["kind"] == "enter"] == [
        {"kind": "enter", "from_stage": s, "to": "support-ticket"} for s in served
    ]
    assert [e for e in flow["lane_edges"] if e["kind"] == "return"] == [
        {"kind": "return", "from": "ticket-resolved", "to_stage": s} for s in served
    ]
    # The touchpoint edges stay touchpoint to touchpoint; the lane is never must-pass.
    assert all(e["kind"] in ("next", "implicit", "loop") for e in flow["edges"])
    assert not {"support-ticket", "escalation", "ticket-resolved"} & set(flow["must_pass"])


def test_markdown_map_says_where_a_parallel_stage_runs() -> None:
    model = journey(B2B)
    page = markdown.render(model, build_flow(model), [])
    assert "**Runs during:** Onboarding, Ongoing, Renewal/Growth (parallel stage)" in page
    assert 'subgraph s4["Support (parallel)"]' in page
    # One entry and one return per stage served, drawn from the stage, not from its touchpoints.
    for stage in (1, 2, 3):
        assert page.count(f'    s{stage} -.->|"enter"| t15') == 1
        assert page.count(f'    t17 -.->|"return"| s{stage}') == 1
    curve = page[page.index("## Emotion curve") : page.index("## Stages")]
    assert "Support ticket" not in curve and "Discovery call" in curve


def test_big_journey_overview_keeps_the_lanes_in_mermaid() -> None:
    """Too big for one diagram: the overview draws entering and returning between stage nodes."""
    require_engines()
    document = big_journey(3, 250).model_dump(by_alias=True, exclude_none=True)
    document["stages"].append(
        {
            "id": "help",
            "name": "Help desk",
            "owner": "a",
            "during": ["s0", "s2"],
            "touchpoints": [{"id": "ask", "name": "Ask"}, {"id": "answer", "name": "Answer"}],
        }
    )
    model = JourneyFile.model_validate(document)
    flow = build_flow(model)
    diagrams = mermaid.flowcharts(model, flow, [])
    overview = diagrams[0].text
    assert len(diagrams) > 2 and overview.startswith("flowchart")
    for stage in (0, 2):
        assert f'    s{stage} -.->|"enter"| s3' in overview
        assert f'    s3 -.->|"return"| s{stage}' in overview
    assert '    s1 -.->|"enter"| s3' not in overview
    [result] = render_mermaid([overview])
    assert result.ok, result.error
    assert result.labels.count("enter") == 2 and result.labels.count("return") == 2


def test_a_lane_during_all_says_every_stage_and_spans_them_all() -> None:
    model = journey(RULE_CASES / "unknown-reference" / "during-pass.yaml")
    flow = build_flow(model)
    assert [lane.everywhere for lane in flow.lanes] == [True]
    assert "**Runs during:** every stage (parallel stage)" in markdown.render(model, flow, [])
    page = html.render(model, flow, [])
    assert "Parallel stage \u00b7 runs during every stage" in page
    assert ".lane0{grid-row:9;grid-column:2/4}" in page  # sales and onboarding: columns 2 and 3


def test_conform_counts_returning_from_a_lane_as_declared(tmp_path: Path) -> None:
    """Replaying a log sees the same flow: after the lane's end the customer goes on from where
    they were (the step after any touchpoint of a stage served), which is declared; a move the
    journey does not allow (skipping the fix) is still an undeclared path."""
    paths = {
        "main": ["kickoff", "training", "live"],
        "early": ["kickoff", "ticket", "fix", "training", "live"],
        "late": ["kickoff", "training", "ticket", "fix", "live"],
        "again": ["kickoff", "ticket", "fix", "ticket", "fix", "training", "live"],
        "skip": ["kickoff", "training", "ticket", "live"],
    }
    rows = ["case,event,time"]
    for name, path in paths.items():
        for customer in range(10):
            day = len(rows)
            rows += [
                f"{name}{customer},{e},2026-01-{1 + day % 28:02d}T{h:02d}:00:00Z"
                for h, e in enumerate(path)
            ]
    log = tmp_path / "log.csv"
    log.write_text("\n".join(rows) + "\n")
    journey_file = ROOT / "tests" / "data" / "during-conform.yaml"
    args = ["conform", str(journey_file), "--events", str(log), "--format", "json"]
    result = CliRunner().invoke(
        app, [*args, "--case", "case", "--event", "event", "--time", "time"]
    )
    report = json.loads(result.stdout)
    undeclared = sorted(
        (f["rule"], f["message"].split("'")[1], f["message"].split("'")[3])
        for f in report["findings"]
        if f["rule"] == "undeclared-path"
    )
    assert undeclared == [("undeclared-path", "ticket", "live")]
    assert report["journeys"][0]["fitness"] == pytest.approx(4 / 5)
