"""`render --events`: the markdown, Mermaid and HTML maps carry what `conform` measures.

The log (tests/data/conform/measured.csv) is small enough to work out by hand against
tests/data/conform/journey.yaml (stuck-after 30 d, as of the latest time, 2024-03-01T10:00Z):

- c1 signup 10:00, demo 11:00, kickoff 13:00, training (next day 10:00), renewal (day after)
- c2 signup_web 09:00, demo 12:00, deal_lost (next day 09:00)
- c3 signup 08:00, kickoff 09:00 (signup -> kickoff is not declared), then nothing
- c4 signup on 2024-03-01 10:00 (the latest time: in progress)
- c5 demo on 2024-01-05, then two events no touchpoint maps (hostile names), then nothing
- one row with an empty customer (skipped)

So 5 customers started; reach: signup 4/5 = 80 %, demo 3/5 = 60 %, lost, training and renewal
1/5 = 20 %, kickoff 2/5 = 40 %; demo is reached after 1 h (c1) and 3 h (c2): median 2.0 h;
kickoff after 2 h (c1) and 1 h (c3): median 1.5 h; demo and kickoff each keep one customer for
good (c5, c3): drop-off 1 of 3 (33.3 %) and 1 of 2 (50 %); signup -> kickoff is 1 of the 3 moves
out of signup (33.3 %).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from conftest import EXAMPLES, ROOT, stale_committed
from engines import cmark_gfm, mermaid_blocks, open_page, render_mermaid, require_engines

DATA = ROOT / "tests" / "data" / "conform"
JOURNEY = DATA / "journey.yaml"
LOG = DATA / "measured.csv"
HOSTILE_EVENTS = ("<script>alert(1)</script>", "a|b **x** [y](javascript:z)")
MEASURED_DOCS = ROOT / "docs" / "journeys" / "measured"
B2B = EXAMPLES / "b2b-saas.yaml"
B2B_LOG = "examples/events/b2b-saas.csv"
runner = CliRunner()


def render(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["render", *args], env={"NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def measured(fmt: str) -> str:
    code, out, err = render(str(JOURNEY), "--events", str(LOG), "--format", fmt)
    assert code == 0, err
    return out


# ---------------------------------------------------------------- markdown and Mermaid text


def test_nodes_carry_reach_customers_median_and_drop_off() -> None:
    flowchart = mermaid_blocks(measured("markdown"))[0]
    # Mermaid escapes: `#37;` is %, `#58;` is a colon. ◆: must-pass (every declared path).
    assert '        t0["Sign-up ◆<br>Account executive<br>80 #37; · 4"]' in flowchart
    assert (
        '        t1["Product demo ◆<br>Account executive<br>60 #37; · 3 · median 2.0 h'
        '<br>⚠ 1 stopped here (33.3 #37;)"]'
    ) in flowchart
    assert (
        '        t3["Kick-off call<br>Account executive<br>40 #37; · 2 · median 1.5 h'
        '<br>⚠ 1 stopped here (50 #37;)"]'
    ) in flowchart
    assert '        t4["Set-up<br>Account executive<br>not measured (no events)"]' in flowchart
    assert "    class t1,t3 cjDrop" in flowchart


def test_undeclared_path_is_a_dashed_labelled_arrow_styled_by_its_own_index() -> None:
    flowchart = mermaid_blocks(measured("markdown"))[0]
    links = [line for line in flowchart.splitlines() if re.match(r"\s+\w+ (-->|-\.->)", line)]
    undeclared = '    t0 -.->|"undeclared#58; 1 customer, 33.3 #37; of moves out"| t3'
    assert links[-1] == undeclared
    assert f"    linkStyle {len(links) - 1} stroke:#cf222e" in flowchart


def test_measured_section_tables_hold_the_hand_counted_figures() -> None:
    text = measured("markdown")
    assert "| Product demo (`demo`) | 3 | 60 % | 2.0 h | 2.8 h | 50 % | 1 | 0 |" in text
    assert "| Sign-up (`signup`) | 4 | 80 % | - | - | - | 0 | 1 |" in text
    assert "| Kick-off call (`kickoff`) | 2 | 40 % | 1.5 h | 1.9 h | 100 % | 1 | 0 |" in text
    assert "| Sign-up (`signup`) | Kick-off call (`kickoff`) | 1 | 1 | 1.0 h |" in text
    assert "5 of 5 customers in the log started the journey" in text
    assert "1 row skipped" in text and "Fitness 80 %" in text


def test_the_mermaid_format_draws_the_same_overlay() -> None:
    text = measured("mermaid")
    assert "60 #37; · 3 · median 2.0 h" in text
    assert '    t0 -.->|"undeclared#58; 1 customer, 33.3 #37; of moves out"| t3' in text


def test_without_events_the_map_is_unchanged_and_deterministic() -> None:
    plain = render(str(JOURNEY))[1]
    assert "Measured" not in plain and "undeclared" not in plain
    assert measured("markdown") == measured("markdown")


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--case", "who"], "--case names a column or setting of the event log: give --events"),
        (["--events", str(LOG), "--format", "json"], "not on json"),
        (["--events", str(DATA / "missing.csv")], "missing.csv: no such file or directory"),
        (["--events", str(LOG), "--as-of", "soon"], "--as-of soon: not an ISO 8601"),
        (["--events", str(LOG), "--case", "who"], "no column 'who' for the customer (case)"),
    ],
)
def test_bad_event_options_are_usage_errors(args: list[str], message: str) -> None:
    code, _, err = render(str(JOURNEY), *args)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_the_log_is_never_written_over(tmp_path: Path) -> None:
    csv = tmp_path / "log.csv"
    csv.write_bytes(LOG.read_bytes())
    code, _, err = render(str(JOURNEY), "--events", str(csv), "-o", str(csv), "--format", "html")
    assert code == 2 and "Traceback" not in err
    assert csv.read_bytes() == LOG.read_bytes()


def test_check_names_the_command_with_its_event_options(tmp_path: Path) -> None:
    out = tmp_path / "map.md"
    args = [str(JOURNEY), "--events", str(LOG), "--as-of", "2024-03-01", "-o", str(out)]
    assert render(*args)[0] == 0
    assert render(*args, "--check")[0] == 0
    out.write_text("old", "utf-8")
    code, stdout, _ = render(*args, "--check")
    assert code == 1
    rerun = stdout.strip().splitlines()[-1].removeprefix("To update them, run: ")
    assert shlex.split(rerun)[1:] == [
        "render",
        str(JOURNEY),
        "-o",
        str(out),
        "--events",
        str(LOG),
        "--as-of",
        "2024-03-01",
    ]


def test_a_folder_measures_the_journeys_that_map_events(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_bytes(JOURNEY.read_bytes())
    (tmp_path / "b2c.yaml").write_bytes((EXAMPLES / "b2c-retail.yaml").read_bytes())
    out = tmp_path / "maps"
    out.mkdir()
    code, _, err = render(
        str(tmp_path / "demo.yaml"),
        str(tmp_path / "b2c.yaml"),
        "--events",
        str(LOG),
        "-o",
        str(out),
    )
    assert code == 0, err
    assert "b2c.yaml: journey 'b2c-retail' maps no events; its map is drawn without figures" in err
    assert "## Measured against the event log" in (out / "conform-demo.md").read_text("utf-8")
    assert "Measured" not in (out / "b2c-retail.md").read_text("utf-8")


# ---------------------------------------------------------------- real engines


@pytest.mark.engines
def test_github_shows_hostile_event_names_as_text() -> None:
    require_engines()
    page = cmark_gfm(measured("markdown"))
    assert "<script" not in page and "raw HTML omitted" not in page
    assert 'href="javascript' not in page and "<strong>x</strong>" not in page
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in page
    assert "<td>a|b **x** [y](javascript:z)</td>" in page
    assert "<td>Product demo (<code>demo</code>)</td>" in page


@pytest.mark.engines
def test_mermaid_draws_the_measured_flowchart() -> None:
    require_engines()
    (result,) = render_mermaid(mermaid_blocks(measured("markdown")))
    assert result.ok, result.error
    assert result.inert
    assert "Product demo ◆ Account executive 60 % · 3 · median 2.0 h ⚠ 1 stopped here (33.3 %)" in (
        result.labels
    )
    assert "undeclared: 1 customer, 33.3 % of moves out" in result.labels


FACTS = """({
  scripts: document.querySelectorAll('script').length,
  funnels: [...document.querySelectorAll('svg.funnel-svg')].map(s => s.getAttribute('aria-labelledby')),
  demoBar: document.querySelector('#funnel-1-desc').textContent,
  bars: [...document.querySelectorAll('.funnel-svg .f-bar')].map(b => [b.getAttribute('width'), b.classList.contains('drop')]),
  demoCard: document.querySelector('#tp-2 .measured').innerText,
  signupCard: document.querySelector('#tp-1 .measured').innerText,
  setupCard: document.querySelector('#tp-5 .measured').innerText,
  events: [...document.querySelectorAll('.measured-panel code')].map(c => c.textContent),
})"""


@pytest.mark.engines
def test_html_cards_and_funnels_in_chromium(tmp_path: Path) -> None:
    require_engines()
    path = tmp_path / "map.html"
    path.write_text(measured("html"), "utf-8")
    page = open_page(path, eval_js=FACTS)
    assert page.requests == () and page.console_errors == () and page.page_errors == ()
    facts = page.eval_result
    assert facts["scripts"] == 0
    # A funnel for each stage with measured touchpoints: sales, onboarding, renewal.
    assert facts["funnels"] == [f"funnel-{n}-title funnel-{n}-desc" for n in (1, 2, 3)]
    # Bars are 220 units at 100 %: signup 80 %, demo 60 % (drop-off), lost 20 %; kickoff 40 %
    # (drop-off), training 20 %; renewal 20 %.
    assert facts["bars"] == [
        ["176", False],
        ["132", True],
        ["44", False],
        ["88", True],
        ["44", False],
        ["44", False],
    ]
    assert "2. Product demo: 60 % (3 customers), 1 stopped here (33.3 %)" in facts["demoBar"]
    assert "Reached: 60 % (3 customers)" in facts["demoCard"]
    assert "Time from the step before: median 2.0 h, p90 2.8 h" in facts["demoCard"]
    assert "Within target: 50 %" in facts["demoCard"]
    assert "drop-off" in facts["demoCard"]  # conform's finding, in words
    assert (
        "undeclared paths from here" in facts["signupCard"].lower()
        and "Kick-off call" in (facts["signupCard"])
    )
    assert "Not measured" in facts["setupCard"]
    for name in HOSTILE_EVENTS:
        assert name in facts["events"]


# ---------------------------------------------------------------- the committed measured map


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_committed_measured_maps_are_fresh(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/journeys/measured/ is regenerated with `cljourney render examples/b2b-saas.yaml
    --events examples/events/b2b-saas.csv --format FMT -o docs/journeys/measured/`."""
    monkeypatch.chdir(ROOT)
    journey, out = Path("examples/b2b-saas.yaml"), Path("docs/journeys/measured/")
    assert stale_committed([journey], out, fmt, (B2B_LOG,)) == []
    assert sorted(p.name for p in MEASURED_DOCS.iterdir()) == ["b2b-saas.html", "b2b-saas.md"]


@pytest.mark.engines
def test_the_committed_measured_markdown_draws_in_mermaid() -> None:
    require_engines()
    blocks = mermaid_blocks((MEASURED_DOCS / "b2b-saas.md").read_text("utf-8"))
    results = render_mermaid(blocks)
    assert [r.error for r in results if not r.ok] == []
    flow = results[0]
    assert any(label.endswith("⚠ 700 stopped here (29.6 %)") for label in flow.labels)
    assert "undeclared: 331 customers, 11.8 % of moves out" in flow.labels


def test_the_header_counts_the_log_findings_beside_the_files() -> None:
    """The journey file has no findings, the log five warnings (two drop-offs, an undeclared
    path, a missed target, an overrun stage): the header must not say "no findings" alone."""
    header = measured("markdown").splitlines()[2]
    assert header.endswith(
        " · no findings in the file · 5 warnings from the log"
        " (see [Findings from the log](#findings-from-the-log))"
    ), header
    assert "### Findings from the log" in measured("markdown")
    plain = render(str(JOURNEY))[1].splitlines()[2]
    assert plain.endswith(" · no findings") and "log" not in plain
    page = measured("html")
    stats = re.search(r'<ul class="stats".*?</ul>', page)
    assert stats is not None
    assert (
        '<li class="sev warning"><a href="#log-findings"><span class="v"><span aria-hidden="true">'
        '▲</span> 5 warnings</span> <span class="t">from the log</span></a></li>'
    ) in stats.group(0)
    assert '<h3 id="log-findings">Findings from the log</h3>' in page


def test_a_config_from_a_stream_is_read_once(tmp_path: Path) -> None:
    """`render --events --config <(...)`: the config checks the journeys and sets the log's
    columns, read from a pipe that can be read only once."""
    import subprocess
    import sys

    log = tmp_path / "log.csv"
    log.write_text(LOG.read_text().replace("customer_id", "who", 1))
    config = '[events]\\ncase = "who"\\n'
    command = (
        f"{shlex.quote(sys.executable)} -m cljourney render {shlex.quote(str(JOURNEY))}"
        f" --events {shlex.quote(str(log))} -f markdown --config <(printf {shlex.quote(config)})"
    )
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Measured against the event log" in done.stdout
