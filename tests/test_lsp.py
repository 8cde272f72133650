"""`cljourney lsp` driven over stdio by a real LSP client (pygls's): diagnostics equal to
`validate`'s, navigation, hover, rename, completion, outline, quick fixes, and errors that never
bring the server down."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsprotocol import types

from cljourney.edit.rename import IdKind, rename_in
from cljourney.edit.source import parse_text
from lsp_client import Client, at

pytestmark = pytest.mark.engines

JOURNEY = """\
cljourney: 1
journey: {id: trial, name: Trial journey, owner: cs-ops}
channels: [email, video]
roles:
  - id: ae
    name: Account executive
  - id: csm
    name: Customer success manager
stages:
  - id: sales
    name: Sales
    owner: ae
    why: The customer checks the product fits their problem before paying.
    touchpoints:
      - id: demo
        name: Product demo
        channel: video
        why: The customer sees their own use case working on real data.
        next: [kickoff]
  - id: onboarding
    name: Onboarding
    owner: csm
    why: The customer reaches first value quickly with a guide at their side.
    touchpoints:
      - id: kickoff
        name: Kick-off call
        channel: video
        why: The customer agrees goals and a go-live date with their CSM.
        customer:
          does: Joins the call
          thinks: Will I repeat everything?
          feels: cautious
          score: 3
      - id: training  # cljourney: ignore[weak-why] rewritten next quarter
        name: Product training
        owner: csm
        channel: email
        why: TBD
        terminal: true
handoffs: []
"""
TWIN = JOURNEY.replace("Trial journey", "A copy")  # the same journey id: duplicate-journey-id


def codes_of(found: list[types.Diagnostic]) -> list[object]:
    return [d.code for d in found]


def line_of(text: str, needle: str) -> int:
    """0-based line of the first line containing `needle`."""
    return next(n for n, line in enumerate(text.splitlines()) if needle in line)


def char_of(text: str, needle: str, word: str) -> tuple[int, int]:
    line = line_of(text, needle)
    return line, text.splitlines()[line].index(word) + 1


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workspace")
    (root / "trial.yaml").write_text(JOURNEY, encoding="utf-8")
    (root / "twin.yaml").write_text(TWIN, encoding="utf-8")
    (root / "cljourney.toml").write_text('[severity]\nhandoff-gap = "error"\n', encoding="utf-8")
    (root / "ci.yaml").write_text("jobs: {build: {}}\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def client(folder: Path) -> Iterator[Client]:
    started = Client(folder)
    yield started
    started.close()


def validate_json(folder: Path, *paths: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "cljourney", "validate", "-f", "json", *paths],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    findings: list[dict[str, object]] = json.loads(done.stdout)["findings"]
    return findings


def test_capabilities(client: Client) -> None:
    caps = client.capabilities
    assert caps.hover_provider and caps.definition_provider and caps.references_provider
    assert caps.document_symbol_provider
    assert isinstance(caps.rename_provider, types.RenameOptions)
    assert caps.rename_provider.prepare_provider
    assert caps.completion_provider is not None
    assert caps.code_action_provider is not None


def test_diagnostics_on_open_are_validates_findings(client: Client, folder: Path) -> None:
    uri = client.open(folder / "twin.yaml")
    client.diagnostics(uri)  # its own findings first, then with the project rules:
    published = client.until(uri, lambda found: "duplicate-journey-id" in codes_of(found))
    expected = validate_json(folder, ".")  # the folder: duplicate-journey-id runs
    mine = [f for f in expected if f["path"] == "twin.yaml"]
    assert sorted(
        (d.code, d.range.start.line + 1, d.range.start.character + 1, d.message) for d in published
    ) == sorted((f["rule"], f["line"], f["column"], f["message"]) for f in mine)
    codes = {d.code for d in published}
    assert {"duplicate-journey-id", "handoff-gap"} <= codes
    assert "weak-why" not in codes  # suppressed in the file
    gap = next(d for d in published if d.code == "handoff-gap")
    assert gap.severity == types.DiagnosticSeverity.Error  # cljourney.toml, found from the file
    assert gap.source == "cljourney"
    assert gap.code_description is not None
    assert gap.code_description.href.startswith("https://")
    related = [(r.location.range.start.line, r.message) for r in gap.related_information or []]
    assert related == [
        (line_of(TWIN, "- id: demo"), "'demo', owned by 'ae'"),
        (line_of(TWIN, "- id: kickoff"), "'kickoff', owned by 'csm'"),
    ]


def test_a_non_journey_gets_no_diagnostics(client: Client, folder: Path) -> None:
    uri = client.open(folder / "ci.yaml")
    assert client.diagnostics(uri) == []


def test_unsaved_change_is_checked_and_a_broken_file_keeps_its_outline(
    client: Client, folder: Path
) -> None:
    uri = client.open(folder / "trial.yaml")
    client.latest(uri)
    broken = JOURNEY.replace("    name: Sales\n", "    name: [Sales\n")
    version = client.change(uri, broken)
    found = client.diagnostics(uri, version)
    assert [d.code for d in found] == ["yaml-syntax"]
    outline = client.request(
        types.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri)),
    )
    assert [s.name for s in outline] == ["sales", "onboarding", "ae", "csm"]
    assert [c.name for c in outline[1].children] == ["kickoff", "training"]
    fixed = client.change(uri, JOURNEY.replace("why: TBD", "why: x"))
    assert "yaml-syntax" not in {d.code for d in client.diagnostics(uri, fixed)}
    client.change(uri, JOURNEY)


def test_hover_on_a_reference_shows_the_touchpoint(client: Client, folder: Path) -> None:
    uri = client.open(folder / "trial.yaml")
    line, character = char_of(JOURNEY, "next: [kickoff]", "kickoff")
    answer = client.request(
        types.TEXT_DOCUMENT_HOVER, types.HoverParams(**at(uri, line, character))
    )
    value = answer.contents.value
    assert value.startswith("**touchpoint** `kickoff`: Kick-off call")
    for part in ("owner `csm`", "stage `onboarding`", "why: The customer agrees goals"):
        assert part in value
    for part in (
        "does: Joins the call",
        "thinks: Will I repeat everything?",
        "feels: cautious",
        "score: 3",
    ):
        assert f"customer {part}" in value
    assert answer.range.start == types.Position(line, character - 1)


def test_hover_on_a_suppressed_rule_shows_its_summary(client: Client, folder: Path) -> None:
    uri = client.open(folder / "trial.yaml")
    line, character = char_of(JOURNEY, "ignore[weak-why]", "weak-why")
    answer = client.request(
        types.TEXT_DOCUMENT_HOVER, types.HoverParams(**at(uri, line, character))
    )
    assert answer.contents.value.startswith("**`weak-why`** (warning): ")


def test_definition_and_references(client: Client, folder: Path) -> None:
    uri = client.open(folder / "trial.yaml")
    line, character = char_of(JOURNEY, "next: [kickoff]", "kickoff")
    found = client.request(
        types.TEXT_DOCUMENT_DEFINITION, types.DefinitionParams(**at(uri, line, character))
    )
    assert [(d.range.start.line, d.range.start.character) for d in found] == [
        (line_of(JOURNEY, "- id: kickoff"), 12)
    ]
    role_line, role_char = char_of(JOURNEY, "  - id: csm", "csm")
    context = types.ReferenceContext(include_declaration=True)
    refs = client.request(
        types.TEXT_DOCUMENT_REFERENCES,
        types.ReferenceParams(context=context, **at(uri, role_line, role_char)),
    )
    assert sorted(r.range.start.line for r in refs) == [
        role_line,
        line_of(JOURNEY, "    owner: csm"),
        line_of(JOURNEY, "        owner: csm"),
    ]


def test_rename_makes_cljourney_renames_edits(client: Client, folder: Path) -> None:
    uri = client.open(folder / "trial.yaml")
    line, character = char_of(JOURNEY, "next: [kickoff]", "kickoff")
    prepared = client.request(
        types.TEXT_DOCUMENT_PREPARE_RENAME, types.PrepareRenameParams(**at(uri, line, character))
    )
    assert (prepared.start.character, prepared.end.character) == (character - 1, character + 6)
    edit = client.request(
        types.TEXT_DOCUMENT_RENAME,
        types.RenameParams(new_name="kick-off", **at(uri, line, character)),
    )
    edits = edit.changes[uri]
    expected = rename_in(
        parse_text(folder / "trial.yaml", JOURNEY.encode()),
        "kickoff",
        "kick-off",
        IdKind.touchpoint,
    )
    assert apply(JOURNEY, edits) == expected.text
    for bad, why in (("Kick Off", "is not a valid id"), ("demo", "already exists")):
        with pytest.raises(Exception, match=why):
            client.request(
                types.TEXT_DOCUMENT_RENAME,
                types.RenameParams(new_name=bad, **at(uri, line, character)),
            )


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits (ASCII text: characters are code units)."""
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        return sum(len(line) for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


@pytest.mark.parametrize(
    ("needle", "typed", "expected"),
    [
        ("next: [kickoff]", "next: [", ["demo", "kickoff", "training"]),
        ("    owner: ae", "    owner: ", ["ae", "csm"]),
        ("channel: video", "channel: v", ["email", "video"]),
        ("ignore[weak-why]", "# cljourney: ignore[weak-why, unus", None),
    ],
    ids=["next", "owner", "channel", "rule"],
)
def test_completion(
    client: Client, folder: Path, needle: str, typed: str, expected: list[str] | None
) -> None:
    line = line_of(JOURNEY, needle)
    lines = JOURNEY.splitlines(keepends=True)
    indent = "" if typed.startswith(" ") or typed.startswith("#") else " " * 8
    prefix = indent + typed if not typed.startswith("#") else lines[line].split("#")[0] + typed
    lines[line] = prefix + "\n"
    text = "".join(lines)
    uri = client.open(folder / "trial.yaml", text)
    answer = client.request(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionParams(**at(uri, line, len(prefix))),
    )
    labels = [item.label for item in answer.items]
    if expected is None:
        assert "unused-suppression" in labels and "handoff-gap" in labels
        item = next(i for i in answer.items if i.label == "unused-suppression")
        assert item.text_edit.range.start.character == len(prefix) - len("unus")
    else:
        assert labels == expected
    client.change(uri, JOURNEY)


def test_add_a_handoff_quick_fix(client: Client, folder: Path) -> None:
    uri = client.open(folder / "trial.yaml", JOURNEY)
    found = client.latest(uri)
    gap = next(d for d in found if d.code == "handoff-gap")
    params = types.CodeActionParams(
        types.TextDocumentIdentifier(uri), gap.range, types.CodeActionContext([gap])
    )
    actions = client.request(types.TEXT_DOCUMENT_CODE_ACTION, params)
    assert [a.title for a in actions] == ["Add a handoff ae > csm (then write its why)"]
    fixed = apply(JOURNEY, actions[0].edit.changes[uri])
    assert fixed.endswith('handoffs:\n  - from: ae\n    to: csm\n    at: kickoff\n    why: ""\n')
    version = client.change(uri, fixed)
    codes = [d.code for d in client.diagnostics(uri, version)]
    assert "handoff-gap" not in codes
    assert "missing-why" in codes  # the why is the author's to write
    client.change(uri, JOURNEY)


def test_certain_fixes_are_quick_fixes_like_validate_fix(
    client: Client, folder: Path, tmp_path: Path
) -> None:
    broken = JOURNEY.replace("next: [kickoff]", "next: [kikoff]").replace(
        "        owner: csm\n        channel: email", "        ownr: csm\n        channel: email"
    )
    assert broken.count("kikoff") == 1 and broken.count("ownr:") == 1
    uri = client.open(folder / "trial.yaml", broken)
    found = client.latest(uri)
    assert {"unknown-reference", "schema"} <= set(codes_of(found))
    whole = types.Range(types.Position(0, 0), types.Position(len(broken.splitlines()), 0))
    params = types.CodeActionParams(
        types.TextDocumentIdentifier(uri), whole, types.CodeActionContext(found)
    )
    actions = client.request(types.TEXT_DOCUMENT_CODE_ACTION, params)
    fixes = [a for a in actions if not a.title.startswith("Add a handoff")]
    assert len(fixes) == 2
    edits = [edit for action in fixes for edit in action.edit.changes[uri]]
    assert apply(broken, edits) == JOURNEY
    # the same edits `validate --fix` makes on disk
    path = tmp_path / "fixed.yaml"  # outside the workspace: no second journey `trial` there
    path.write_text(broken, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "cljourney", "validate", "--fix", "-q", str(path)],
        capture_output=True,
        check=False,
    )
    assert path.read_text(encoding="utf-8") == JOURNEY
    client.change(uri, JOURNEY)


def test_a_failing_request_is_an_lsp_error_and_the_server_goes_on(
    client: Client, folder: Path
) -> None:
    missing = (folder / "gone.yaml").as_uri()
    with pytest.raises(Exception, match="cljourney"):
        client.request(types.TEXT_DOCUMENT_HOVER, types.HoverParams(**at(missing, 0, 0)))
    assert any("failed" in log for log in client.logs)
    uri = client.open(folder / "trial.yaml")
    symbols = client.request(
        types.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri)),
    )
    assert symbols


def test_without_pygls_the_command_says_how_to_install_it() -> None:
    hide = "import sys; sys.modules['pygls'] = None; sys.argv = ['cljourney', 'lsp'];"
    run = "from cljourney.cli.entry import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", hide + run], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "pip install 'cljourney[lsp]'" in done.stderr


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("        next:\n          - ", ["demo", "kickoff", "training"]),
        ("        next:\n        - kickoff\n        - ", ["demo", "kickoff", "training"]),
        ("handoffs:\n  - from: ", ["ae", "csm"]),
        ("handoffs:\n  - from: ae\n    to: csm\n    at: k", ["demo", "kickoff", "training"]),
        ("        pain_points:\n          - ", []),
    ],
    ids=["block-next", "block-next-second", "from", "at", "not-an-id"],
)
def test_completion_in_block_lists_and_handoffs(
    client: Client, folder: Path, written: str, expected: list[str]
) -> None:
    if written.startswith("handoffs"):
        text = JOURNEY.replace("handoffs: []\n", written)
    else:
        text = JOURNEY.replace("        next: [kickoff]\n", written + "\n")
    lines = text.splitlines()
    line = max(n for n, row in enumerate(lines) if written.rsplit("\n", 1)[-1] == row)
    uri = client.open(folder / "trial.yaml", text)
    answer = client.request(
        types.TEXT_DOCUMENT_COMPLETION, types.CompletionParams(**at(uri, line, len(lines[line])))
    )
    assert [item.label for item in answer.items] == expected
    client.change(uri, JOURNEY)


def test_hover_shows_journey_text_literally(client: Client, folder: Path) -> None:
    hostile = JOURNEY.replace(
        "name: Kick-off call", "name: Kick-off [call](https://x.test) <b>now</b>"
    )
    uri = client.open(folder / "trial.yaml", hostile)
    line, character = char_of(hostile, "next: [kickoff]", "kickoff")
    answer = client.request(
        types.TEXT_DOCUMENT_HOVER, types.HoverParams(**at(uri, line, character))
    )
    first = answer.contents.value.splitlines()[0]
    assert first == r"**touchpoint** `kickoff`: Kick-off \[call\](https\://x.test) \<b\>now\</b\>"
    client.change(uri, JOURNEY)


def test_rename_of_a_quoted_reference_and_of_no_id(client: Client, folder: Path) -> None:
    quoted = JOURNEY.replace("next: [kickoff]", 'next: ["kickoff"]')
    uri = client.open(folder / "trial.yaml", quoted)
    line, character = char_of(quoted, 'next: ["kickoff"]', "kickoff")
    edit = client.request(
        types.TEXT_DOCUMENT_RENAME,
        types.RenameParams(new_name="start", **at(uri, line, character)),
    )
    expected = rename_in(
        parse_text(folder / "trial.yaml", quoted.encode()), "kickoff", "start", IdKind.touchpoint
    )
    assert apply(quoted, edit.changes[uri]) == expected.text
    assert 'next: ["start"]' in expected.text
    name_line, name_character = char_of(quoted, "name: Product demo", "Product")
    with pytest.raises(Exception, match="put the cursor on a touchpoint, stage or role id"):
        client.request(
            types.TEXT_DOCUMENT_PREPARE_RENAME,
            types.PrepareRenameParams(**at(uri, name_line, name_character)),
        )
    client.change(uri, JOURNEY)


def test_save_checks_again_and_close_clears(client: Client, folder: Path) -> None:
    uri = client.open(folder / "trial.yaml", JOURNEY)
    client.latest(uri)
    seen = len(client.published[uri])
    saved = types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
    client.notify(types.TEXT_DOCUMENT_DID_SAVE, saved)
    with client.changed:
        assert client.changed.wait_for(lambda: len(client.published[uri]) > seen, 30)
    assert "handoff-gap" in [d.code for d in client.published[uri][-1].diagnostics]
    client.notify(
        types.TEXT_DOCUMENT_DID_CLOSE,
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)),
    )
    with client.changed:
        assert client.changed.wait_for(lambda: not client.published[uri][-1].diagnostics, 30)
    del client.versions[uri]


def test_help_lists_lsp_without_importing_pygls() -> None:
    code = (
        "import atexit, sys\n"
        "sys.argv = ['cljourney', '--help']\n"
        "atexit.register(lambda: print('PYGLS', 'pygls' in sys.modules))\n"
        "from cljourney.cli.entry import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "lsp " in done.stdout and "language server" in done.stdout
    assert done.stdout.rstrip().endswith("PYGLS False")


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


@pytest.mark.parametrize(("shut_down", "code"), [(True, 0), (False, 1)])
def test_exit_code_follows_the_protocol(tmp_path: Path, shut_down: bool, code: int) -> None:
    """`exit` ends the server with 0 after a `shutdown` request, else 1 (the LSP's rule), as a
    raw client over stdio sees it."""
    messages = [{"id": 1, "method": "initialize", "params": {"capabilities": {}}}]
    messages.append({"method": "initialized", "params": {}})
    if shut_down:
        messages.append({"id": 2, "method": "shutdown"})
    messages.append({"method": "exit"})
    done = subprocess.run(
        [sys.executable, "-m", "cljourney", "lsp"],
        input=b"".join(_frame(m) for m in messages),
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == code, done.stderr.decode()
    assert b'"capabilities"' in done.stdout  # it answered the initialize
