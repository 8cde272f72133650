"""Loading journey files: what is a journey, schema findings and where they point."""

from __future__ import annotations

from pathlib import Path

import pytest

from cljourney.load.journey import Loaded, load_bytes

VALID = (Path(__file__).parent / "rules" / "schema" / "pass.yaml").read_text(encoding="utf-8")


def load(text: str, *, explicit: bool = True) -> Loaded | None:
    return load_bytes(text.encode(), "j.yaml", explicit=explicit)


def only(text: str) -> tuple[str, int, int, str]:
    loaded = load(text)
    assert loaded is not None
    [finding] = loaded.findings
    return finding.rule, finding.line, finding.column, finding.message


def test_valid_file_loads() -> None:
    loaded = load(VALID)
    assert loaded is not None and loaded.journey is not None
    assert loaded.findings == ()
    assert loaded.journey.journey.id == "demo"
    assert [s.id for s in loaded.journey.stages] == ["sales", "onboarding"]


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("", "the file is empty"),
        ("# just a comment\n", "the file is empty"),
        ("- a\n- b\n", "the top level is a list"),
        ("hello\n", "the top level is a single value"),
        ("name: x\n", "no `cljourney` key"),
    ],
)
def test_not_a_journey_named_explicitly_is_an_error(text: str, what: str) -> None:
    rule, line, _, message = only(text)
    assert rule == "schema"
    assert what in message
    assert "cljourney: 1" in message
    assert line == 1


@pytest.mark.parametrize("text", ["", "- a\n", "name: x\n", "a: [unclosed\n", "ci:\n\tjob: x\n"])
def test_non_journeys_are_skipped_in_directory_scans(text: str) -> None:
    assert load(text, explicit=False) is None


def test_broken_yaml_that_looks_like_a_journey_is_reported_in_scans() -> None:
    loaded = load("cljourney: 1\njourney: [unclosed\n", explicit=False)
    assert loaded is not None
    assert [f.rule for f in loaded.findings] == ["yaml-syntax"]


@pytest.mark.parametrize("version", ["2", "'1'", "true", "1.0", "v1"])
def test_unsupported_version(version: str) -> None:
    rule, line, column, message = only(VALID.replace("cljourney: 1", f"cljourney: {version}"))
    assert rule == "schema"
    assert "version 1" in message and "cljourney: 1" in message
    assert (line, column) == (2, 12)


def test_unknown_key_points_at_the_key_with_a_suggestion() -> None:
    text = VALID.replace("        channel: email\n", "        chanel: email\n")
    rule, line, column, message = only(text)
    assert rule == "schema"
    assert message == "unknown key `chanel` in touchpoint 'training'; did you mean `channel`?"
    assert (line, column) == (29, 9)


def test_unknown_key_without_close_match_lists_allowed_keys() -> None:
    text = VALID.replace("  - from: ae\n", "  - from: ae\n    zzz: 1\n")
    _, _, _, message = only(text)
    assert "unknown key `zzz` in handoff ae > csm" in message
    assert "allowed keys: from, to, at, why, carries" in message


def test_missing_key_points_at_the_mapping_that_lacks_it() -> None:
    text = VALID.replace("        name: Product training\n", "")
    rule, line, column, message = only(text)
    assert rule == "schema"
    assert message == "touchpoint 'training' has no `name`; add `name: ...`"
    assert (line, column) == (27, 9)


def test_wrong_type_points_at_the_value() -> None:
    text = VALID.replace("        name: Product training\n", "        name: 2024\n")
    _, line, column, message = only(text)
    assert "`name` in touchpoint 'training': expected text, got the number 2024" in message
    assert (line, column) == (28, 15)


def test_invalid_slug_gets_a_suggestion() -> None:
    text = VALID.replace("      - id: training\n", "      - id: Product Training\n")
    _, _, _, message = only(text)
    assert "is not a valid id" in message
    assert "'product-training'" in message


def test_score_out_of_range() -> None:
    text = VALID.replace(
        "        channel: email\n", "        channel: email\n        customer: {score: 7}\n"
    )
    _, line, _, message = only(text)
    assert "`score`" in message and "between 1 and 5" in message
    assert line == 30


def test_list_expected() -> None:
    text = VALID.replace("channels: [email, video]", "channels: email")
    _, line, _, message = only(text)
    assert "`channels` in the file: expected a list" in message
    assert line == 4


def test_yaml_12_booleans_are_not_coerced() -> None:
    text = VALID.replace(
        "        channel: email\n", "        channel: email\n        terminal: yes\n"
    )
    _, _, _, message = only(text)
    assert "`terminal`" in message and "expected true or false, got the text 'yes'" in message


def test_every_schema_error_is_reported_at_once() -> None:
    text = VALID.replace("        name: Product training\n", "").replace(
        "        channel: video\n", "        chanel: video\n", 1
    )
    loaded = load(text)
    assert loaded is not None
    assert len(loaded.findings) == 2


def test_stages_must_not_be_empty() -> None:
    _, _, _, message = only(VALID.split("stages:")[0] + "stages: []\n")
    assert "`stages` in the file: must hold at least one item" in message


def test_unknown_keys_alone_still_give_a_model_so_other_rules_run() -> None:
    loaded = load(VALID.replace("        channel: email\n", "        chanel: email\n"))
    assert loaded is not None and loaded.journey is not None
    assert loaded.journey.stages[1].touchpoints[1].channel is None
    assert [f.rule for f in loaded.findings] == ["schema"]


def test_other_schema_errors_give_no_model() -> None:
    loaded = load(VALID.replace("        name: Product training\n", "").replace("chan", "chn", 1))
    assert loaded is not None
    assert loaded.journey is None
    assert len(loaded.findings) == 2


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "where"),
    [
        ("name: Sales\n", 'name: "   "\n', 10, 11, "`name` in stage 'sales'"),
        (
            "name: Sales\n",
            "name: ' \\t '\n".replace("\\t", "\t"),
            10,
            11,
            "`name` in stage 'sales'",
        ),
        ("name: Demo journey,", 'name: " ",', 3, 27, "`name` in `journey`"),
        ("owner: cs-ops}", "owner: '  '}", 3, 48, "`owner` in `journey`"),
        ("name: Account executive}", 'name: "\u3000"}', 6, 20, "`name` in role 'ae'"),
        ("name: Product demo\n", "name: '  '\n", 15, 15, "`name` in touchpoint 'demo'"),
    ],
    ids=["stage", "stage-tab", "journey", "journey-owner", "role-ideographic-space", "touchpoint"],
)
def test_blank_names_are_schema_errors_where_written(
    old: str, new: str, line: int, column: int, where: str
) -> None:
    rule, found_line, found_column, message = only(VALID.replace(old, new, 1))
    assert (rule, found_line, found_column) == ("schema", line, column)
    assert message.startswith(f"{where}: is blank")


def test_names_with_text_around_blanks_are_kept() -> None:
    loaded = load(VALID.replace("name: Sales\n", "name: '  Sales  '\n", 1))
    assert loaded is not None and loaded.findings == ()
