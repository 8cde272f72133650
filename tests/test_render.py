"""`cljourney render`: escaping, layout, determinism, --check and the command's errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.check.discover import Target
from cljourney.check.pipeline import check_loaded, load_target
from cljourney.cli.app import app
from cljourney.graph import build_flow
from cljourney.model import JourneyFile
from cljourney.render import RENDERERS, get_renderer, marks, mermaid, mermaid_text
from cljourney.render.mdtext import block, inline
from cljourney.rules import RuleOptions
from conftest import EXAMPLES, ROOT, stale_committed

DATA = Path(__file__).resolve().parent / "data"
HOSTILE = DATA / "hostile.yaml"
BROKEN = DATA / "broken.yaml"


def load(path: Path) -> tuple[JourneyFile, list]:  # type: ignore[type-arg]
    loaded = load_target(Target(path, explicit=True))
    assert loaded is not None and loaded.journey is not None
    return loaded.journey, check_loaded(loaded, RuleOptions())


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["render", *args])
    return result.exit_code, result.stdout, result.stderr


# --- escaping -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        'a "b" ]; c',
        "x --> end",
        "%%{init: {}}%%",
        "<script>",
        "a: 5: b",
        "#quot; &lt;",
        "`x`",
        "a | b",
        "{[(<>)]}",
        "title x",
        "line\nbreak",
    ],
)
def test_mermaid_text_leaves_no_syntax(raw: str) -> None:
    escaped = mermaid_text.text(raw)
    bare = re.sub(r"#[0-9]+;", "", escaped)
    assert not set(bare) & set('"[]{}<>|;:%`&#\n'), escaped


def test_mermaid_text_truncates_long_labels_before_escaping() -> None:
    escaped = mermaid_text.text("#" * 200)
    assert escaped == "#35;" * (mermaid_text.LABEL_LIMIT - 1) + "\u2026"


def test_mermaid_size_counts_utf16_units() -> None:
    assert mermaid_text.size("a😀") == 3


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("*a* _b_ `c`", r"\*a\* \_b\_ \`c\`"),
        ("<img src=x>", r"\<img src=x\>"),
        ("a | b", r"a \| b"),
        ("&lt; #x", r"\&lt; \#x"),
        ("- item", r"\- item"),
        ("12. item", r"12\. item"),
        ("see https://x.org or www.x.org", r"see https\://x.org or www\.x.org"),
        ("two\nlines", "two lines"),
        ("Kick-off call.", "Kick-off call."),
    ],
)
def test_markdown_inline_escaping(raw: str, escaped: str) -> None:
    assert inline(raw) == escaped


def test_markdown_block_keeps_lines_as_hard_breaks() -> None:
    assert block("one\n\n# two\n") == "one\\\n\\# two"


# --- renderers ------------------------------------------------------------------------------


def test_every_renderer_has_render_and_render_index() -> None:
    for name in RENDERERS:
        renderer = get_renderer(name)
        assert callable(renderer.render) and callable(renderer.render_index)
        assert renderer.suffix.startswith(".")


def test_map_sections_in_order() -> None:
    journey, findings = load(EXAMPLES / "b2b-saas.yaml")
    text = get_renderer("markdown").render(journey, build_flow(journey), findings)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Flow", "## Emotion curve", "## Stages", "## Roles", "## Handoffs"]
    assert text.count("```mermaid") == 2
    touchpoints = sum(len(stage.touchpoints) for stage in journey.stages)
    assert f"{touchpoints} touchpoints" in text.splitlines()[2]


def test_findings_section_and_marks_for_a_broken_journey() -> None:
    journey, findings = load(BROKEN)
    assert findings
    text = get_renderer("markdown").render(journey, build_flow(journey), findings)
    section = text.split("## Findings", 1)[1]
    for finding in findings:
        assert f"`{finding.rule}` | {finding.line}:{finding.column} |" in section
    flow = mermaid.flowchart(journey, build_flow(journey), findings)
    assert "class " in flow and ("cjError" in flow or "cjWarning" in flow)


def test_stage_findings_do_not_mark_a_touchpoint_sharing_its_id() -> None:
    journey, _ = load(HOSTILE)
    from cljourney.findings import Finding, Kind, Location, Severity

    stage_finding = Finding(
        "missing-why", Severity.ERROR, "stage 'end'", "x", Location(1, 1), "end", "end", Kind.STAGE
    )
    assert marks.finding_marks(journey, [stage_finding]) == {}
    dead_end = Finding(
        "dead-end",
        Severity.WARNING,
        "touchpoint",
        "x",
        Location(1, 1),
        "end",
        "end",
        Kind.TOUCHPOINT,
    )
    assert marks.finding_marks(journey, [dead_end]) == {"end": Severity.WARNING}


def test_highlight_colours_touchpoints_and_refuses_unknown_classes() -> None:
    journey, findings = load(EXAMPLES / "b2b-saas.yaml")
    flow = build_flow(journey)
    first = flow.placed[0]
    text = mermaid.flowchart(
        journey, flow, findings, highlight={first.id: "added", "gone": "removed"}
    )
    assert f"class t{first.order} added" in text
    assert "classDef added " in text and "classDef removed" not in text
    with pytest.raises(ValueError, match="unknown highlight class"):
        mermaid.flowchart(journey, flow, findings, highlight={first.id: "bogus"})


def big_journey(stages: int, per_stage: int) -> JourneyFile:
    return JourneyFile.model_validate(
        {
            "cljourney": 1,
            "journey": {"id": "big", "name": "Big", "owner": "ops"},
            "roles": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "stages": [
                {
                    "id": f"s{s}",
                    "name": f"Stage {s}",
                    "owner": "a" if s % 2 else "b",
                    "why": "The customer gets something out of this stage.",
                    "touchpoints": [
                        {
                            "id": f"t{s}-{i}",
                            "name": f"Step {s}.{i} " + "x" * 40,
                            "customer": {"score": 1 + i % 5},
                        }
                        for i in range(per_stage)
                    ],
                }
                for s in range(stages)
            ],
        }
    )


def test_big_journeys_split_into_overview_and_stage_diagrams() -> None:
    journey = big_journey(3, 250)
    flow = build_flow(journey)
    diagrams = mermaid.flowcharts(journey, flow, [])
    assert diagrams[0].title is not None and diagrams[0].title.startswith("Overview")
    assert len(diagrams) >= 4
    for diagram in diagrams:
        edges = sum(1 for line in diagram.text.splitlines() if "-->" in line or "-.->" in line)
        assert mermaid_text.fits(diagram.text, edges)
    nodes = sum(diagram.text.count('"]\n') for diagram in diagrams[1:])
    assert nodes >= 750  # every touchpoint appears (plus stubs)
    small = build_flow(big_journey(2, 3))
    assert len(mermaid.flowcharts(small.journey, small, [])) == 1


def test_json_format_has_the_resolved_flow() -> None:
    code, out, _ = run(str(EXAMPLES / "b2b-saas.yaml"), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["journey"]["journey"]["id"] == "b2b-saas"
    assert {"from", "to", "kind"} <= set(document["flow"]["edges"][0])
    assert all(t["owner"] for t in document["flow"]["touchpoints"])
    assert document["summary"]["touchpoints"] == len(document["flow"]["touchpoints"])


def test_mermaid_format_prints_the_flowchart_alone() -> None:
    code, out, _ = run(str(EXAMPLES / "b2b-saas.yaml"), "--format", "mermaid")
    assert code == 0 and out.startswith(f"{mermaid.MARKER}\nflowchart TB\n") and "```" not in out


# --- the command ----------------------------------------------------------------------------


def _render_subprocess(args: list[str], seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [sys.executable, "-m", "cljourney", "render", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    return proc.stdout


def test_output_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    for fmt in RENDERERS:
        first = _render_subprocess([str(HOSTILE), "-f", fmt], "1")
        assert first == _render_subprocess([str(HOSTILE), "-f", fmt], "2"), fmt
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    assert run(str(EXAMPLES), "-o", str(one))[0] == 0
    assert run(str(EXAMPLES), "-o", str(two))[0] == 0
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    assert "README.md" in names and len(names) == len(list(EXAMPLES.glob("*.yaml"))) + 1
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_check_reports_stale_files_and_passes_fresh_ones(tmp_path: Path) -> None:
    assert run(str(EXAMPLES), "-o", str(tmp_path)) == (0, "", "")
    assert run(str(EXAMPLES), "-o", str(tmp_path), "--check")[0] == 0
    target = tmp_path / "b2b-saas.md"
    target.write_text(target.read_text("utf-8") + "edited\n", "utf-8")
    (tmp_path / "README.md").unlink()
    code, out, _ = run(str(EXAMPLES), "-o", str(tmp_path), "--check")
    assert code == 1
    assert f"stale: {target}" in out and f"missing: {tmp_path / 'README.md'}" in out
    assert "edited" in target.read_text("utf-8")  # --check writes nothing
    assert not (tmp_path / "README.md").exists()


def test_check_reads_read_only_maps_without_asking_to_write_them(tmp_path: Path) -> None:
    # A checkout mounted read-only, or maps made read-only on purpose: --check only reads.
    assert run(str(EXAMPLES), "-o", str(tmp_path)) == (0, "", "")
    maps = sorted(tmp_path.iterdir())
    for path in maps:
        path.chmod(0o444)
    assert run(str(EXAMPLES), "-o", str(tmp_path), "--check") == (0, "", "")
    maps[0].chmod(0o644)
    maps[0].write_text("edited\n", "utf-8")
    maps[0].chmod(0o444)
    code, out, _ = run(str(EXAMPLES), "-o", str(tmp_path), "--check")
    assert (code, out.splitlines()[0]) == (1, f"stale: {maps[0]}")
    # Writing them is still refused, before anything is written.
    code, _, err = run(str(EXAMPLES), "-o", str(tmp_path))
    assert code == 2 and "is read-only; make it writable" in err
    assert maps[0].read_text("utf-8") == "edited\n"


@pytest.mark.parametrize(
    ("journeys", "fmt", "name"),
    [
        ("all", "markdown", "README.md"),  # a docs folder's own README where the index goes
        ("all", "html", "index.html"),
        ("all", "markdown", "b2c-retail.md"),
        ("one", "json", "b2c-retail.json"),  # one journey into `-o DIR/`
    ],
)
def test_a_hand_written_file_where_a_map_goes_is_never_replaced(
    journeys: str, fmt: str, name: str, tmp_path: Path
) -> None:
    source = str(EXAMPLES) if journeys == "all" else str(EXAMPLES / "b2c-retail.yaml")
    mine = tmp_path / name
    mine.write_text("# Our team's own notes\n", "utf-8")
    code, _, err = run(source, "-o", f"{tmp_path}/", "--format", fmt)
    assert code == 2
    assert err == (
        f"cljourney: error: {mine}: exists and is not a map cljourney wrote (it has no generated"
        " marker), so render will not replace it; move it away or render into another directory\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == [name]  # refused before writing any map
    assert mine.read_text("utf-8") == "# Our team's own notes\n"
    mine.unlink()  # once it is gone, the maps are written, and written again over themselves
    assert run(source, "-o", f"{tmp_path}/", "--format", fmt)[0] == 0
    assert run(source, "-o", f"{tmp_path}/", "--format", fmt)[0] == 0


def test_single_file_into_a_file_and_into_a_directory(tmp_path: Path) -> None:
    out = tmp_path / "map.md"
    assert run(str(BROKEN), "-o", str(out))[0] == 0
    assert "## Findings" in out.read_text("utf-8")
    assert run(str(BROKEN), "-o", str(tmp_path))[0] == 0
    assert [p.name for p in tmp_path.iterdir() if p.name != "map.md"] == [
        f"{load(BROKEN)[0].journey.id}.md"
    ]


def test_committed_maps_are_fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/journeys/ is regenerated with `cljourney render examples/ -o docs/journeys`."""
    monkeypatch.chdir(ROOT)
    assert stale_committed([Path("examples/")], Path("docs/journeys"), "markdown") == []


def test_unloadable_file_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("cljourney: 1\njourney: [unclosed\n", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run(str(EXAMPLES), str(bad), "-o", str(out))
    assert code == 1
    assert f"{bad}:" in err or "bad.yaml:" in err
    assert "Traceback" not in err and list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{examples}", "-o", "{tmp}/missing"], "no such directory"),
        (["{examples}"], "needs -o DIRECTORY"),
        (["{broken}", "-o", "{tmp}/missing/map.md"], "does not exist"),
        (["{broken}", "--check"], "--check compares"),
        (["{tmp}/nothing.yaml"], "no such file"),
        (["{broken}", "-f", "pdf"], "pdf"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    values = {"examples": str(EXAMPLES), "broken": str(BROKEN), "tmp": str(tmp_path)}
    code, out, err = run(*(arg.format(**values) for arg in args))
    assert code == 2
    assert message in out + err
    assert not (tmp_path / "missing").exists()


def test_duplicate_journey_ids_refuse_to_overwrite(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (source / name).write_bytes((EXAMPLES / "b2b-saas.yaml").read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run(str(source), "-o", str(out))
    assert code == 2 and "make them unique" in err
