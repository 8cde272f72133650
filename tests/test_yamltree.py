"""The YAML layer: YAML 1.2 scalars, positions, and refusal of what a journey file must not hold."""

from __future__ import annotations

import codecs
import math

import pytest

from cljourney.load.scalars import resolve_plain
from cljourney.load.tree import Limits, Tree, YamlProblem, YMap, YSeq, parse_tree


def tree(text: str | bytes) -> object:
    data = text.encode() if isinstance(text, str) else text
    result = parse_tree(data)
    assert isinstance(result, Tree), result
    return result.root


def problems(text: str | bytes, limits: Limits | None = None) -> list[YamlProblem]:
    data = text.encode() if isinstance(text, str) else text
    result = parse_tree(data, limits) if limits else parse_tree(data)
    assert isinstance(result, list), f"expected problems, got {result}"
    return result


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("on", "on"),
        ("yes", "yes"),
        ("off", "off"),
        ("y", "y"),
        ("12:30", "12:30"),
        ("0755", 755),
        ("0o17", 15),
        ("0x1F", 31),
        ("1e3", 1000.0),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("-7", -7),
        ("+3", 3),
        ("1.5", 1.5),
        (".inf", math.inf),
        ("-.INF", -math.inf),
        ("2024-01-01", "2024-01-01"),
        ("Kick-off", "Kick-off"),
        ("1_000", "1_000"),
    ],
)
def test_yaml_12_core_schema(text: str, value: object) -> None:
    assert resolve_plain(text) == value
    assert type(resolve_plain(text)) is type(value)


def test_quoted_scalars_stay_text() -> None:
    root = tree("a: '1'\nb: \"true\"\nc: |\n  no\n")
    assert root == {"a": "1", "b": "true", "c": "no\n"}


def test_yaml_11_directive_does_not_switch_semantics() -> None:
    root = tree("%YAML 1.1\n---\nfeels: no\nat: 12:30\n")
    assert root == {"feels": "no", "at": "12:30"}


def test_positions_of_keys_values_and_items() -> None:
    root = tree("a: 1\nlist:\n  - x\n  - {k: v}\n")
    assert isinstance(root, YMap)
    assert root.keys_pos["a"] == (1, 1, 1, 4)
    assert root.keys_pos["list"][:2] == (2, 1)
    items = root["list"]
    assert isinstance(items, YSeq)
    assert items.items_pos == [(3, 5), (4, 5)]
    assert items[1].keys_pos["k"] == (4, 6, 4, 9)


def test_unicode_columns_count_characters() -> None:
    root = tree("name: 'héllo wörld'\nwhy: x\n")
    assert isinstance(root, YMap)
    assert root.keys_pos["why"] == (2, 1, 2, 6)
    nested = tree("a: {é: 1, b: 2}\n")
    assert isinstance(nested, YMap)
    assert nested["a"].keys_pos["b"] == (1, 11, 1, 14)


def test_duplicate_keys_are_reported_at_the_second_key() -> None:
    [problem] = problems("a: 1\nb: 2\na: 3\n")
    assert problem.message == "duplicate key 'a'; remove one of them"
    assert [(r.location.line, r.location.column) for r in problem.related] == [(1, 1)]
    assert (problem.line, problem.column) == (3, 1)


def test_every_duplicate_key_is_reported() -> None:
    assert len(problems("a: 1\na: 2\nb: {c: 1, c: 2}\n")) == 2


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "a: !custom value\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!python/name:os.system\n",
        "c: !thing [1]\n",
        "c: !thing {a: 1}\n",
    ],
)
def test_tags_are_refused(text: str) -> None:
    [first, *_] = problems(text)
    assert "not allowed" in first.message
    assert first.line == 1


def test_the_str_tag_on_text_is_accepted() -> None:
    assert tree("a: !!str 123\nb: !!str\nc: !!str 'x'\n") == {"a": "123", "b": "", "c": "x"}


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("a: !!seq {c: 1}\n", 1, 4, "the tag !!seq is not allowed; it marks a list, not a mapping"),
        (
            "a:\n  !!map\n  - 1\n",
            2,
            3,
            "the tag !!map is not allowed; it marks a mapping, not a list",
        ),
        ("a: !!str {c: 1}\n", 1, 4, "the tag !!str is not allowed; it marks text, not a mapping"),
        ("a: &k !!str [1]\n", 1, 4, "the tag !!str is not allowed; it marks text, not a list"),
        ("a: !!seq text\n", 1, 4, "the tag !!seq is not allowed; it marks a list, not text"),
        ("a: !!map {c: 1}\n", 1, 4, "the tag !!map is not allowed;"),
        ("a: !!seq [1]\n", 1, 4, "the tag !!seq is not allowed;"),
        ("a: ! 12\n", 1, 4, "the tag ! is not allowed;"),
        ("a: ! [1]\n", 1, 4, "the tag ! is not allowed;"),
        ("a: !!int 12\n", 1, 4, "the tag !!int is not allowed;"),
    ],
    ids=[
        "seq-on-mapping",
        "map-on-list",
        "str-on-mapping",
        "str-on-list",
        "seq-on-text",
        "map-on-mapping",
        "seq-on-list",
        "non-specific-text",
        "non-specific-list",
        "int",
    ],
)
def test_every_tag_but_str_on_text_is_refused_where_written(
    text: str, line: int, column: int, words: str
) -> None:
    """The README allows `!!str` and nothing else: other standard tags add nothing, and a tag
    that contradicts its node (`!!seq` on a mapping) hides a mistake."""
    [problem] = problems(text)
    assert words in problem.message
    assert "(journey files allow only !!str, on text)" in problem.message
    assert (problem.line, problem.column) == (line, column)


def test_aliases_are_refused() -> None:
    found = problems("base: &b {x: 1}\nother: *b\n")
    assert any("aliases" in p.message and p.line == 2 for p in found)


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    found = problems("\n".join(lines) + "\n")
    assert all("aliases" in p.message for p in found)


def test_second_document_is_refused() -> None:
    [problem] = problems("a: 1\n---\nb: 2\n")
    assert "second YAML document" in problem.message
    assert problem.line == 2


@pytest.mark.parametrize("depth", [65, 100_000])
def test_deep_nesting_is_refused_not_crashed(depth: int) -> None:
    [problem] = problems("[" * depth + "]" * depth)
    assert (problem.line, problem.column) == (1, 65)  # where level 65 opens
    assert "nesting deeper than 64" in problem.message


def test_block_nesting_limit() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(80)) + "  " * 80 + "leaf\n"
    [problem] = problems(text)
    assert (problem.line, problem.column) == (65, 129)  # level n opens at line n, column 2n-1
    assert "nesting" in problem.message


def test_size_limit() -> None:
    [problem] = problems("a: " + "x" * 2000 + "\n", Limits(max_bytes=1000))
    assert "over the 1,000-byte limit" in problem.message


def test_node_limit() -> None:
    [problem] = problems("[" + ", ".join(["1"] * 50) + "]\n", Limits(max_nodes=10))
    assert "more than 10 YAML nodes" in problem.message


def test_invalid_utf8_is_located() -> None:
    [problem] = problems(b"a: 1\nname: caf\xe9 au lait\n")
    assert "invalid UTF-8 byte 0xe9" in problem.message
    assert (problem.line, problem.column) == (2, 10)


@pytest.mark.parametrize("newline", [b"\r", b"\r\n", b"\n", b"mixed"])
def test_invalid_utf8_is_located_whatever_the_line_endings(newline: bytes) -> None:
    """Lines break at CR, CR LF and LF, as libyaml and editors count them (old Mac files use CR)."""
    lines = [f"key{n}: value {n}".encode() for n in range(1, 18)] + [b"title: caf\xc3\xa9 caf\xe9"]
    if newline == b"mixed":
        breaks = [(b"\r", b"\r\n", b"\n")[n % 3] for n in range(len(lines))]
        data = b"".join(line + end for line, end in zip(lines, breaks, strict=True))
    else:
        data = newline.join(lines) + newline
    [problem] = problems(data)
    assert "invalid UTF-8 byte 0xe9" in problem.message
    assert (problem.line, problem.column) == (18, 16)


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "a: 1\nb: é\n".encode(),
        codecs.BOM_UTF16_LE + "a: 1\nb: é\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "a: 1\nb: é\n".encode("utf-16-be"),
    ],
)
def test_byte_order_marks(data: bytes) -> None:
    root = tree(data)
    assert root == {"a": 1, "b": "é"}
    assert isinstance(root, YMap)
    assert root.keys_pos["b"][0] == 2


def test_crlf_line_numbers() -> None:
    root = tree(b"a: 1\r\nb:\r\n  - x\r\n  - y\r\n")
    assert isinstance(root, YMap)
    assert root["b"].items_pos == [(3, 5), (4, 5)]


def test_tab_indentation_gets_a_hint() -> None:
    [problem] = problems("a:\n\tb: 1\n")
    assert problem.line == 2
    assert "tabs" in problem.message


def test_syntax_error_position() -> None:
    [problem] = problems("a: 1\nb: [1, 2\nc: 3\n")
    assert problem.message.startswith("invalid YAML:")
    assert problem.line >= 2


def test_complex_keys_are_refused() -> None:
    [problem] = problems("? [a, b]\n: 1\n")
    assert "mapping key must be plain text" in problem.message


def test_empty_document() -> None:
    assert tree("") is None
    assert tree("# only a comment\n") is None


def test_keys_are_kept_as_written() -> None:
    assert tree("true: 1\n1: 2\n~: 3\n") == {"true": 1, "1": 2, "~": 3}
