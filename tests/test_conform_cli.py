"""`cljourney conform` on the command line: the JSON contract, exit statuses, config,
suppressions, the CI formats, and every kind of bad input (a message and exit 2, never a
traceback)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from conftest import RULE_CASES
from eventlogs import mixpanel_export

runner = CliRunner()
CASE = RULE_CASES / "drop-off"
HEADER = "customer_id,event_name,timestamp\n"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["conform", *args], env={"NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def test_json_has_the_documented_shape() -> None:
    code, out, _ = run(str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"), "-f", "json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["journeys", "findings", "summary"]
    (journey,) = document["journeys"]
    assert list(journey) == [
        "journey",
        "path",
        "log",
        "touchpoints",
        "stages",
        "transitions",
        "variants",
        "unmapped",
        "fitness",
    ]
    assert journey["log"] == {
        "rows": 6,
        "customers": 3,
        "started": 3,
        "mapped_events": 6,
        "unmapped_events": 0,
        "skipped_rows": 0,
        "first": "2024-01-01T10:00:00Z",
        "last": "2024-03-01T11:00:00Z",
        "as_of": "2024-03-01T11:00:00Z",
        "columns": [
            {
                "log": str(CASE / "fail.csv"),
                "case": "customer_id",
                "event": "event_name",
                "time": "timestamp",
            }
        ],
    }
    demo = journey["touchpoints"][0]
    assert demo == {
        "id": "demo",
        "stage": "sales",
        "customers": 3,
        "reach": 1.0,
        "median_from_previous_s": None,
        "p90_from_previous_s": None,
        "within_target": None,
        "dropped": 1,
        "in_progress": 0,
    }
    assert [t["id"] for t in journey["touchpoints"]] == ["demo", "lost", "kickoff", "training"]
    assert journey["transitions"][0] == {
        "from": "demo",
        "to": "kickoff",
        "declared": True,
        "count": 1,
        "customers": 1,
        "median_s": 172800.0,  # 2024-02-28 -> 2024-03-01: a leap year
        "p90_s": 172800.0,
    }
    assert journey["variants"] == [
        {"path": ["demo"], "customers": 1},
        {"path": ["demo", "kickoff", "training"], "customers": 1},
        {"path": ["demo", "lost"], "customers": 1},
    ]
    assert journey["fitness"] == 1.0
    assert [(f["rule"], f["line"]) for f in document["findings"]] == [("drop-off", 14)]
    assert document["summary"] == {"journeys": 1, "errors": 0, "warnings": 1, "info": 0}


def test_text_report_reads_like_people_write(tmp_path: Path) -> None:
    code, out, _ = run(str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"))
    assert code == 0
    assert "sales: 3 customers" in out
    assert "33.3 %" in out and "2.0 d" in out
    assert "fail.yaml:14:13: warning drop-off 33.3 % of the customers" in out


def test_strict_fails_on_warnings() -> None:
    args = (str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"), "-q")
    assert run(*args)[0] == 0
    assert run(*args, "--strict")[0] == 1


def test_config_thresholds_and_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "log.csv"
    text = (CASE / "fail.csv").read_text().replace(HEADER, "who,what,at\n")
    log.write_text(text)
    (tmp_path / "cljourney.toml").write_text(
        '[options]\nmax-drop-off = "40%"\n\n[events]\ncase = "who"\nevent = "what"\ntime = "at"\n'
    )
    code, out, err = run(str(CASE / "fail.yaml"), "--events", str(log), "-f", "json")
    assert code == 0, err
    assert json.loads(out)["findings"] == []  # 33.3 % is under 40 %
    (tmp_path / "cljourney.toml").write_text(
        '[options]\nstuck-after = "90d"\n\n[events]\ncase = "who"\nevent = "what"\ntime = "at"\n'
    )
    code, out, _ = run(str(CASE / "fail.yaml"), "--events", str(log), "-f", "json")
    assert json.loads(out)["findings"] == []  # nobody idle for 90 days
    (tmp_path / "cljourney.toml").write_text('[options]\nsla-share = "1.5"\n')
    code, _, err = run(str(CASE / "fail.yaml"), "--events", str(log))
    assert code == 2 and "cljourney.toml:2: options.sla-share: expected a share" in err


def test_suppressions_and_severities_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    journey = tmp_path / "j.yaml"
    text = (CASE / "fail.yaml").read_text()
    journey.write_text(text.replace("# expect: drop-off", "# cljourney: ignore[drop-off] seasonal"))
    code, out, _ = run(str(journey), "--events", str(CASE / "fail.csv"), "-f", "json")
    assert json.loads(out)["findings"] == []
    journey.write_text(text.replace("# expect: drop-off", "# cljourney: ignore[stage-overrun]"))
    code, out, _ = run(str(journey), "--events", str(CASE / "fail.csv"), "-f", "json")
    rules = sorted(f["rule"] for f in json.loads(out)["findings"])
    assert rules == ["drop-off", "unused-suppression"]
    # validate has no log: it never calls a conform rule's suppression unused
    journey.write_text(text.replace("# expect: drop-off", "# cljourney: ignore[drop-off]"))
    result = runner.invoke(app, ["validate", "-f", "json", str(journey)])
    assert json.loads(result.stdout)["findings"] == []
    (tmp_path / "cljourney.toml").write_text('[severity]\ndrop-off = "error"\n')
    journey.write_text(text)
    code, out, _ = run(str(journey), "--events", str(CASE / "fail.csv"), "-q")
    assert code == 1 and "error drop-off" in out


@pytest.mark.parametrize("name", ["sarif", "github", "gitlab", "junit"])
def test_ci_formats_carry_the_findings(name: str) -> None:
    code, out, _ = run(str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"), "-f", name)
    assert code == 0
    assert "drop-off" in out and "fail.yaml" in out


def test_github_annotation_lands_on_the_yaml_line() -> None:
    _, out, _ = run(str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"), "-f", "github")
    assert "::warning file=tests/rules/drop-off/fail.yaml,line=14,col=13" in out


def _bad_logs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    logs = {}

    def make(name: str, content: bytes, expected: str) -> None:
        path = tmp_path / name
        path.write_bytes(content)
        logs[name] = (path, expected)

    make("empty.csv", b"", "the file is empty")
    make("log.txt", b"a,b\n", "cannot tell the format from the name")
    make("columns.csv", b"user,name,when\nc1,demo_held,2024-01-01\n", "did you mean --case user?")
    make("broken.jsonl", b'{"a": 1\n', "cannot read it")
    make(
        "latin1.csv",
        HEADER.encode() + "c1,caf\xe9_visit,2024-01-01\n".encode("latin-1"),
        "CSV Error on Line: 2: Invalid unicode",  # DuckDB's reason, not only the line
    )
    make("fake.parquet", b"not parquet", "cannot read it")
    make("gz.csv.gz", b"not gzip at all", "cannot read it")
    return logs


def test_bad_logs_are_usage_errors_not_tracebacks(tmp_path: Path) -> None:
    for name, (path, expected) in _bad_logs(tmp_path).items():
        code, _, err = run(str(CASE / "pass.yaml"), "--events", str(path))
        assert code == 2, name
        assert expected in err, (name, err)
        assert "Traceback" not in err and err.startswith(f"cljourney: error: {path}"), name


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--events", "missing.csv"], "missing.csv: no such file or directory"),
        (["--events", "*.nothing"], "no file matches this pattern"),
        (["--events", "LOG", "--as-of", "yesterday"], "--as-of yesterday: not an ISO 8601"),
        (["--events", "LOG", "--timezone", "Mars/Base"], "unknown time zone"),
        (["--events", "LOG", "--memory-limit", "lots"], "--memory-limit lots:"),
        (["--events", "LOG", "--memory-limit", "-5GB"], "--memory-limit -5GB: give a positive"),
        (["--events", "LOG", "--case", "usr"], "no column 'usr' for the customer (case)"),
    ],
)
def test_bad_options(args: list[str], expected: str) -> None:
    args = [str(CASE / "fail.csv") if a == "LOG" else a for a in args]
    code, _, err = run(str(CASE / "pass.yaml"), *args)
    assert code == 2 and expected in err, err


def test_journey_without_events_says_so(tmp_path: Path) -> None:
    code, _, err = run(
        str(RULE_CASES / "dead-end" / "pass.yaml"), "--events", str(CASE / "fail.csv")
    )
    assert code == 2 and "maps no events: add `events:" in err


def test_journey_that_does_not_load_reports_its_findings(tmp_path: Path) -> None:
    journey = tmp_path / "j.yaml"
    journey.write_text("cljourney: 1\njourney: [\n")
    code, out, _ = run(str(journey), "--events", str(CASE / "fail.csv"), "-q")
    assert code == 1 and "yaml-syntax" in out


def test_log_with_only_bad_rows_or_nothing_mapped(tmp_path: Path) -> None:
    """A log none of whose rows can be used measures nothing: a usage error naming every reason,
    with examples and how to mend the commonest. A log whose events the journey does not name
    is one warning at the journey's id (so --strict fails), not a silent pass; a log of a header
    alone says it has no rows."""
    log = tmp_path / "log.csv"
    log.write_text(HEADER + ",demo_held,2024-01-01\nc1,,2024-01-01\nc1,demo_held,soon\n")
    code, out, err = run(str(CASE / "pass.yaml"), "--events", str(log), "-f", "json")
    assert code == 2 and out == ""
    assert err.startswith(f"cljourney: error: {log}: none of the log's 3 rows can be used:"), err
    assert "1 with empty case (e.g. " in err and "1 with empty event" in err
    assert f"1 with unparsable time (e.g. {log}:4 ('soon'))" in err
    log.write_text(HEADER + "c1,x,03/01/2024 10:00\nc2,y,03/02/2024 11:00\n")
    code, _, err = run(str(CASE / "pass.yaml"), "--events", str(log))
    assert code == 2 and "2 with unparsable time" in err and "write times as ISO 8601" in err
    log.write_text(HEADER + "c1,page_view,2024-01-01\n")
    code, out, err = run(str(CASE / "pass.yaml"), "--events", str(log), "-f", "json")
    assert code == 0, err
    findings = json.loads(out)["findings"]
    assert [(f["rule"], f["element"]) for f in findings] == [("unobserved-touchpoint", "demo")]
    assert "most frequent events: 'page_view'" in findings[0]["message"]
    code, _, _ = run(str(CASE / "pass.yaml"), "--events", str(log), "--strict")
    assert code == 1
    log.write_text(HEADER)
    code, out, err = run(str(CASE / "pass.yaml"), "--events", str(log))
    assert code == 0 and "the event log has no rows" in err
    assert "No row with a customer, an event and a time" not in out
    assert "no row with a customer, an event and a time" in out and "None" not in out


def test_several_logs_and_gzip(tmp_path: Path) -> None:
    lines = (CASE / "fail.csv").read_text().splitlines(keepends=True)
    first = tmp_path / "a.csv"
    first.write_text("".join(lines[:3]))
    second = tmp_path / "b.csv.gz"
    second.write_bytes(gzip.compress("".join([lines[0], *lines[3:]]).encode()))
    code, out, _ = run(
        str(CASE / "fail.yaml"), "--events", str(first), "--events", str(second), "-f", "json"
    )
    assert code == 0
    together = json.loads(out)
    _, out, _ = run(str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"), "-f", "json")
    alone = json.loads(out)
    assert together["journeys"][0]["touchpoints"] == alone["journeys"][0]["touchpoints"]


def test_the_report_says_which_columns_it_read(tmp_path: Path) -> None:
    """Each log's customer, event and time columns, recognised or named, are in every report:
    once where the logs agree, per log where they differ (names as written, never markup)."""
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "account_id,activity,time\ncust-1,demo_held,2024-01-01T10:00:00Z\n", encoding="utf-8"
    )
    odd = "it's `<b>`"  # quotes, backticks and HTML in a column name
    app_log = tmp_path / "app.csv"
    app_log.write_text(
        f'user_id,"{odd}",timestamp\ncust-2,demo_held,2024-01-02T10:00:00Z\n', encoding="utf-8"
    )
    journey = str(CASE / "fail.yaml")
    code, out, err = run(journey, "--events", str(crm), "--events", str(app_log), "-f", "json")
    assert code == 2 and "activity" in err  # a column named for one role must exist in every log
    code, out, _ = run(journey, "--events", str(crm), "--events", str(crm), "-f", "json")
    assert code in (0, 1)
    (journey_out,) = json.loads(out)["journeys"]
    assert (
        journey_out["log"]["columns"]
        == [{"log": str(crm), "case": "account_id", "event": "activity", "time": "time"}] * 2
    )
    code, out, _ = run(journey, "--events", str(crm))
    assert "  columns: customer 'account_id', event 'activity', time 'time'\n" in out
    # A column named on the command line is reported as it is written.
    code, out, _ = run(journey, "--events", str(app_log), "--event", odd, "-f", "json")
    assert json.loads(out)["journeys"][0]["log"]["columns"][0]["event"] == odd
    jsonl = tmp_path / "app.jsonl"
    jsonl.write_text(
        '{"distinct_id": "cust-3", "event": "demo_held", "time": "2024-01-03T10:00:00Z"}\n',
        encoding="utf-8",
    )
    code, out, _ = run(journey, "--events", str(crm), "--events", str(jsonl))
    assert (
        f"  columns: {crm}: customer 'account_id', event 'activity', time 'time';"
        f" {jsonl}: customer 'distinct_id', event 'event', time 'time'\n"
    ) in out
    code, out, _ = run(journey, "--events", str(app_log), "--event", odd, "-f", "markdown")
    # A name a code span cannot hold as it is (a backtick) is escaped text (`mdtext.code`).
    assert "Columns read: customer `user_id`, event it's \\`\\<b\\>\\`, time `timestamp`." in out


def test_markdown_column_names_stay_literal_in_gfm(tmp_path: Path) -> None:
    from engines import cmark_gfm, require_engines

    require_engines()
    odd = "`<img src=x onerror=alert(1)>`"
    log = tmp_path / "log.csv"
    log.write_text(
        f'customer_id,"{odd}",timestamp\ncust-1,demo_held,2024-01-01T10:00:00Z\n',
        encoding="utf-8",
    )
    code, out, _ = run(
        str(CASE / "fail.yaml"), "--events", str(log), "--event", odd, "-f", "markdown"
    )
    assert code in (0, 1)
    html = cmark_gfm(out)
    assert "<img" not in html
    assert "event `&lt;img src=x onerror=alert(1)&gt;`, time <code>timestamp</code>" in html


def test_output_never_overwrites_the_log(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_bytes((CASE / "fail.csv").read_bytes())
    code, _, err = run(str(CASE / "fail.yaml"), "--events", str(log), "-o", str(log))
    assert code == 2 and "log.csv" in err
    assert log.read_bytes() == (CASE / "fail.csv").read_bytes()


def test_readme_quick_start_runs_on_the_example() -> None:
    root = RULE_CASES.parent.parent
    journey, log = (
        root / "examples" / "b2b-saas.yaml",
        root / "examples" / "events" / "b2b-saas.csv",
    )
    assert "cljourney conform examples/b2b-saas.yaml --events examples/events/b2b-saas.csv" in (
        root / "README.md"
    ).read_text(encoding="utf-8")
    code, out, err = run(str(journey), "--events", str(log), "-f", "json")
    assert code == 0, err
    document = json.loads(out)
    found = {(f["rule"], f["element"]) for f in document["findings"]}
    # the story the generator tells (bench/events.py): a shortcut and a bottleneck
    assert ("undeclared-path", "discovery-call") in found
    assert ("drop-off", "integration") in found
    assert ("unmeasured-touchpoint", "support-intro") in found
    assert document["journeys"][0]["log"]["skipped_rows"] == 9


def test_markdown_report_renders_in_mermaid_and_gfm() -> None:
    from engines import cmark_gfm, mermaid_blocks, render_mermaid, require_engines

    require_engines()
    code, out, _ = run(
        str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"), "-f", "markdown"
    )
    assert code == 0
    (block,) = mermaid_blocks(out)
    (result,) = render_mermaid([block])
    assert result.ok, result.error
    assert result.inert
    labels = " ".join(result.labels)
    assert "demo 3 · 100 %" in labels and "1 stopped here" in labels  # the drop-off is marked
    assert "1 · 33.3 %" in labels  # demo -> kickoff: 1 customer, a third of the moves out of demo
    html = cmark_gfm(out)
    assert "<table>" in html and "drop-off" in html


def test_markdown_draws_undeclared_paths_dashed() -> None:
    case = RULE_CASES / "undeclared-path"
    code, out, _ = run(
        str(case / "fail.yaml"), "--events", str(case / "fail.csv"), "-f", "markdown"
    )
    assert code == 0
    lines = out.splitlines()
    dashed = [line for line in lines if "-.->" in line]
    assert len(dashed) == 1 and '"1 · 33.3 %"' in dashed[0]
    assert any(
        line.strip().startswith("linkStyle ") and "stroke-dasharray" in line for line in lines
    )


def test_only_conform_imports_duckdb() -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from cljourney.cli.app import app\n"
        f"CliRunner().invoke(app, ['validate', {str(CASE / 'fail.yaml')!r}])\n"
        "CliRunner().invoke(app, ['conform', '--help'])\n"
        "print('duckdb' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_engine_limits_are_accepted_and_change_nothing() -> None:
    args = [str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"), "-f", "json"]
    _, plain, _ = run(*args)
    code, limited, err = run(*args, "--threads", "1", "--memory-limit", "64MB")
    assert code == 0, err
    assert limited == plain


def test_time_hint_never_offers_a_column_taken_by_another_role(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_text("account_id,event_name,occurred_at\nc1,demo_held,2024-01-01\n", encoding="utf-8")
    code, _, err = run(str(CASE / "pass.yaml"), "--events", str(log))
    assert code == 2
    assert "did you mean --time occurred_at?" in err, err
    assert "--time event_name" not in err


def test_hint_lists_the_free_columns_when_none_looks_right(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_text("account_id,event_name,colour\nc1,demo_held,red\n", encoding="utf-8")
    code, _, err = run(str(CASE / "pass.yaml"), "--events", str(log))
    assert code == 2
    assert "did you mean" not in err, err
    assert "columns not used for the customer (case) or the event name: colour" in err, err


def test_a_column_named_in_the_config_is_blamed_on_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("events.csv").write_text(
        "account_id,event_name,occurred_at\nc1,demo_held,2024-01-01\n", encoding="utf-8"
    )
    Path("cljourney.toml").write_text('[events]\n\ntime = "happened"\n', encoding="utf-8")
    code, _, err = run(str(CASE / "pass.yaml"), "--events", "events.csv")
    assert code == 2
    assert (
        "cljourney: error: cljourney.toml:3: no column 'happened' for the time in events.csv"
        " (columns: account_id, event_name, occurred_at)"
    ) in err, err


def test_a_journey_mistake_is_reported_before_the_logs(tmp_path: Path) -> None:
    """The log is read while the journeys load; a journey that cannot be measured is still
    what the user hears about first (as it was when the log was read after), not the log."""
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"a": 1\n')
    for journey, expected in (
        (RULE_CASES / "dead-end" / "pass.yaml", "maps no events: add `events:"),
        (tmp_path / "missing.yaml", "missing.yaml: no such file or directory"),
    ):
        code, _, err = run(str(journey), "--events", str(broken))
        assert code == 2 and expected in err and "cannot read it" not in err, err


def _with_expectations(path: Path) -> list[tuple[str, int]]:
    """(rule, line) of each `# expect: RULE` comment of a rule case."""
    return [
        (line.split("# expect: ")[1].strip(), number)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "# expect: " in line
    ]


def test_the_journeys_own_errors_fail_conform_as_they_fail_validate(tmp_path: Path) -> None:
    """An event claimed by two touchpoints makes the figures wrong: conform lists validate's
    `duplicate-event` errors at their lines and exits 1, as validate does; validate's warnings
    (a weak why) are not conform's business and stay out."""
    case = RULE_CASES / "duplicate-event" / "fail.yaml"
    journey = tmp_path / "j.yaml"
    journey.write_text(
        case.read_text().replace("why: The customer sees", "why: TBD. The customer sees", 1)
    )
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "c1,demo_held,2024-01-01T10:00:00Z\nc1,kickoff_held,2024-01-02\n")
    code, out, _ = run(str(journey), "--events", str(log), "-f", "json")
    assert code == 1
    found = [(f["rule"], f["line"]) for f in json.loads(out)["findings"]]
    expected = _with_expectations(case)
    assert [f for f in found if f[0] == "duplicate-event"] == expected
    assert not [f for f in found if f[0] in ("weak-why", "unused-suppression")], found
    # Silenced in the file, the error is gone from conform as from validate.
    silenced = tmp_path / "silenced.yaml"
    silenced.write_text(
        journey.read_text().replace(
            "# expect: duplicate-event", "# cljourney: ignore[duplicate-event]"
        )
    )
    code, out, _ = run(str(silenced), "--events", str(log), "-f", "json")
    assert code == 0 and "duplicate-event" not in out


def test_render_events_draws_the_journeys_errors_once() -> None:
    """`render --events` draws validate's findings on the map itself: the log's section lists
    conform's findings only, never a journey error a second time."""
    case = RULE_CASES / "duplicate-event" / "fail.yaml"
    log = RULE_CASES / "drop-off" / "fail.csv"
    result = runner.invoke(app, ["render", str(case), "--events", str(log)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    log_part = text.split("### Findings from the log", 1)[1].split("\n## ", 1)[0]
    assert "`drop-off`" in log_part or "`unobserved-touchpoint`" in log_part, log_part
    assert "duplicate-event" not in log_part
    map_findings = text.split("\n## Findings", 1)[1]
    assert map_findings.count("`duplicate-event`") == len(_with_expectations(case))


def test_a_naive_as_of_is_read_in_the_logs_time_zone() -> None:
    """`--as-of` without an offset is read in `--timezone`, like the log's own naive times:
    midnight of 1 April 2024 in Paris (summer time since 31 March) is 22:00 UTC the day before."""
    log = str(CASE / "fail.csv")
    for args, expected in (
        (["--as-of", "2024-04-01"], "2024-04-01T00:00:00Z"),
        (["--as-of", "2024-04-01", "--timezone", "Europe/Paris"], "2024-03-31T22:00:00Z"),
        (
            ["--as-of", "2024-04-01T00:00:00+05:00", "--timezone", "Europe/Paris"],
            "2024-03-31T19:00:00Z",
        ),
    ):
        code, out, err = run(str(CASE / "fail.yaml"), "--events", log, "-f", "json", *args)
        assert code in (0, 1), err
        assert json.loads(out)["journeys"][0]["log"]["as_of"] == expected, args


def test_an_as_of_before_the_logs_events_is_pointed_out() -> None:
    """The log of the case runs from 1 January to 1 March 2024: an `--as-of` before its end
    makes customers seen later count as in progress, and the note says so (once, on stderr,
    the report unchanged in shape); one at or after the end says nothing."""
    log = str(CASE / "fail.csv")
    for as_of, expected in (
        ("2024-02-01", "before the log's last event (2024-03-01T11:00:00Z): a customer seen"),
        ("2023-12-01", "before the log's first event (2024-01-01T10:00:00Z): every customer"),
        ("2024-03-01T11:00:00Z", None),
        ("2024-06-01", None),
    ):
        code, out, err = run(str(CASE / "fail.yaml"), "--events", log, "--as-of", as_of)
        assert code in (0, 1) and "dropped" in out, err
        if expected is None:
            assert "--as-of" not in err, err
        else:
            assert err.count("--as-of") == 2 and expected in err, err
            assert "counts as in progress, never as dropped" in err


def test_one_column_cannot_serve_two_roles() -> None:
    code, out, err = run(
        str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"), "--case", "event_name"
    )
    assert code == 2 and out == ""
    assert "column 'event_name' cannot be both the customer (case) and the event name" in err


def test_a_bad_time_zone_in_the_config_is_blamed_on_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cljourney.toml").write_text('[events]\n\ntimezone = "Paris"\n')
    monkeypatch.chdir(tmp_path)
    code, _, err = run(str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"))
    assert code == 2
    assert "cljourney.toml:3: timezone = 'Paris': unknown time zone" in err, err
    code, _, err = run(
        str(CASE / "fail.yaml"), "--events", str(CASE / "fail.csv"), "--timezone", "UTC"
    )
    assert code in (0, 1), err  # the command line wins over the config


def test_a_column_hint_can_be_pasted_into_a_shell(tmp_path: Path) -> None:
    log = tmp_path / "export.csv"
    log.write_text("Account ID,event_name,timestamp\nA,demo_held,2024-01-01\n")
    code, _, err = run(str(CASE / "fail.yaml"), "--events", str(log), "--isolated")
    assert code == 2 and "did you mean --case 'Account ID'?" in err, err


def test_a_log_not_in_utf8_says_how_to_convert_it(tmp_path: Path) -> None:
    log = tmp_path / "export.csv"
    log.write_bytes(HEADER.encode() + "c1,caf\xe9_visit,2024-01-01\n".encode("latin-1"))
    code, _, err = run(str(CASE / "pass.yaml"), "--events", str(log))
    assert code == 2 and "; save the log as UTF-8 (e.g. iconv -f latin1 -t utf-8" in err, err


def _flat_and_nested(tmp_path: Path) -> tuple[Path, Path]:
    """The drop-off case's log, and the same rows as a Mixpanel raw export (nested fields)."""
    from datetime import datetime

    rows = []
    for line in (CASE / "fail.csv").read_text().splitlines()[1:]:
        case, event, time = line.split(",")
        stamp = datetime.fromisoformat(time.replace("Z", "+00:00")).timestamp()
        rows.append((case, event, str(int(stamp))))
    return CASE / "fail.csv", mixpanel_export(tmp_path / "export.jsonl", rows)


def test_nested_fields_of_json_exports_are_recognised(tmp_path: Path) -> None:
    """Mixpanel's raw export keeps the customer and the time under `properties`: they are found
    without options (`properties.distinct_id`, `properties.time`) and measure as the flat log."""
    flat, nested = _flat_and_nested(tmp_path)
    journey = str(CASE / "fail.yaml")
    code, out, err = run(journey, "--events", str(nested), "-f", "json")
    assert code in (0, 1), err
    _, expected, _ = run(journey, "--events", str(flat), "-f", "json")
    got, want = json.loads(out), json.loads(expected)
    assert got["journeys"][0]["log"]["started"] == 3
    for key in ("touchpoints", "stages", "transitions", "variants", "fitness"):
        assert got["journeys"][0][key] == want["journeys"][0][key], key
    named = run(
        journey,
        "--events",
        str(nested),
        "-f",
        "json",
        "--case",
        "properties.distinct_id",
        "--time",
        "properties.time",
    )
    assert named[1] == out


def test_nested_fields_in_messages_and_parquet(tmp_path: Path) -> None:
    """A nested field is named `parent.field` in messages and did-you-means; Parquet groups
    (structs) read as JSON objects do; a flat column whose name holds a dot stays one column."""
    _, nested = _flat_and_nested(tmp_path)
    journey = str(CASE / "fail.yaml")
    code, _, err = run(journey, "--events", str(nested), "--case", "properties.distinct")
    assert code == 2
    assert "did you mean 'properties.distinct_id'? The columns are: " in err
    assert "properties.plan.tier" in err and "properties.$insert_id" in err
    assert "properties.plan," not in err  # an object is no column
    code, out, err = run(journey, "--events", str(nested), "--case", "properties")
    assert (code, out) == (2, "")
    assert "'properties' is an object, not a column, so it cannot be the customer (case)" in err
    assert "name one of its fields with --case: properties.time, properties.distinct_id" in err

    import duckdb

    parquet = tmp_path / "export.parquet"
    with duckdb.connect() as db:
        db.execute(f"COPY (SELECT * FROM read_json('{nested}')) TO '{parquet}'")
    _, from_json, _ = run(journey, "--events", str(nested), "-f", "json")
    _, from_parquet, _ = run(journey, "--events", str(parquet), "-f", "json")
    assert (
        json.loads(from_parquet)["journeys"][0]["touchpoints"]
        == (json.loads(from_json)["journeys"][0]["touchpoints"])
    )

    dotted = tmp_path / "dotted.csv"
    dotted.write_text(
        (CASE / "fail.csv").read_text().replace("customer_id,", "user.id,", 1), encoding="utf-8"
    )
    code, out, err = run(journey, "--events", str(dotted), "--case", "user.id", "-f", "json")
    assert code in (0, 1), err
    assert json.loads(out)["journeys"][0]["log"]["started"] == 3


def test_a_top_level_column_wins_over_a_nested_one_and_wide_logs_are_listed_short(
    tmp_path: Path,
) -> None:
    log = tmp_path / "both.jsonl"
    log.write_text(
        json.dumps(
            {
                "distinct_id": "top",
                "event": "demo_held",
                "timestamp": "2024-01-01T10:00:00Z",
                "properties": {"distinct_id": "nested", "time": 1},
            }
        )
        + "\n"
    )
    code, out, err = run(str(CASE / "fail.yaml"), "--events", str(log), "-f", "json")
    assert code in (0, 1), err
    assert json.loads(out)["journeys"][0]["log"]["first"] == "2024-01-01T10:00:00Z"
    wide = tmp_path / "wide.jsonl"
    wide.write_text(
        json.dumps({"user_id": "u", "event": "e", "properties": {f"p{n}": n for n in range(60)}})
        + "\n"
    )
    code, _, err = run(str(CASE / "fail.yaml"), "--events", str(wide))
    assert code == 2 and "no column for the time" in err
    # user_id, event, then properties.p0..p59 (the object itself is no column): 40 shown
    listed = err.split("the columns are: ", 1)[1]
    assert listed.rstrip().endswith("properties.p37 and 22 more"), listed


@pytest.mark.slow  # a 2M-row log, so the signal lands while DuckDB reads it
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_terminated_run_removes_its_spill_folder(name: str, tmp_path: Path) -> None:
    """A cancelled CI job (SIGTERM) or a closed terminal (SIGHUP) stops conform as Ctrl-C does:
    exit 128 + the signal's number, and no `cljourney-conform-*` folder left in the temporary
    directory (with a memory limit, it holds the spilled log)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    log = tmp_path / "big.csv"
    with log.open("w", encoding="utf-8") as stream:
        stream.write("customer_id,event_name,timestamp\n")
        for n in range(2_000_000):
            stream.write(f"c{n % 200_000},demo_held,2024-01-{1 + n % 28:02d}T10:00:00Z\n")
    spill = tmp_path / "tmp"
    spill.mkdir()
    number = getattr(signal, name)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cljourney",
            "conform",
            str(CASE / "fail.yaml"),
            "--events",
            str(log),
            "--memory-limit",
            "200MB",
        ],
        env={**os.environ, "TMPDIR": str(spill)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(spill.glob("cljourney-conform-*")) and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        time.sleep(0.005)
    time.sleep(0.3)  # into the read
    process.send_signal(number)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + number, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert list(spill.iterdir()) == []
