"""Rule documentation as text: `cljourney rules`, `cljourney explain RULE` and the README table.

All of it comes from the registry, so the CLI, the README and SARIF help say the same thing.
"""

from __future__ import annotations

import json

from cljourney.rules import REGISTRY, AnyRule
from cljourney.text.hints import did_you_mean


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table() -> str:
    """The README's rule table: id, default severity, summary; registry order."""
    lines = ["| rule id | severity | what it finds |", "|---|---|---|"]
    lines += [f"| `{r.id}` | {r.severity.value} | {_cell(r.summary)} |" for r in REGISTRY.values()]
    return "\n".join(lines) + "\n"


def text_table() -> str:
    width = max(len(rule_id) for rule_id in REGISTRY)
    return "".join(
        f"{r.id:<{width}}  {r.severity.value:<7}  {r.summary}\n" for r in REGISTRY.values()
    )


def json_list() -> str:
    rows = [
        {
            "id": r.id,
            "severity": r.severity.value,
            "summary": r.summary,
            "finds": r.finds,
            "matters": r.matters,
            "bad": r.bad,
            "good": r.good,
            "options": option_defaults(r),
            "scope": r.scope,
        }
        for r in REGISTRY.values()
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _indent(block: str) -> str:
    return "".join(f"    {line}\n" for line in block.splitlines())


def _toml(value: object) -> str:
    """A default as TOML, whole: a user tuning a list must see every word it holds."""
    if value is None:
        return "(not set)"
    if isinstance(value, tuple):
        return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + "]"
    return json.dumps(value)


def option_defaults(rule: AnyRule) -> dict[str, object]:
    """The config options that tune `rule`, by config key, with their defaults (JSON-ready;
    None for an `extend-` key or an option that is not set by default)."""
    shown: dict[str, object] = {}
    for option in rule.options:
        value = option.default()
        shown[option.key] = list(value) if isinstance(value, tuple) else value
    return shown


def _options(rule: AnyRule) -> str:
    """The config options that tune `rule`, with their defaults, and how to switch it in config."""
    lines = [
        f"    {option.key} = {_toml(option.default())}\n        {option.description}\n"
        for option in rule.options
    ]
    tune = (
        "Tune it in config, under [tool.cljourney.options] in pyproject.toml or [options] in"
        " cljourney.toml (shown with the defaults)\n" + "".join(lines) + "\n"
        if lines
        else ""
    )
    return (
        f"{tune}Turn it off or change its level in config ([tool.cljourney] in pyproject.toml, the"
        " top level of cljourney.toml)\n"
        f'    ignore = ["{rule.id}"]\n'
        f'    severity = {{ {rule.id} = "info" }}          # error | warning | info\n'
        f'    per-file-ignores = {{ "drafts/*.yaml" = ["{rule.id}"] }}\n\n'
    )


def explain(rule: AnyRule) -> str:
    """What the rule finds, why it matters to customers, a failing and a passing example, the
    config options that tune it and how to turn it off."""
    return (
        f"{rule.id} ({rule.severity.value} by default): {rule.summary}\n\n"
        f"What it finds\n    {rule.finds}\n\n"
        f"Why it matters to customers\n    {rule.matters}\n\n"
        f"Fails\n{_indent(rule.bad)}\n"
        f"Passes\n{_indent(rule.good)}\n"
        f"{_options(rule)}"
        f"Silence one finding: # cljourney: ignore[{rule.id}] <reason>\n"
    )


def lookup(rule_id: str) -> AnyRule | str:
    """The rule called `rule_id`, or an error message with a did-you-mean."""
    if rule_id in REGISTRY:
        return REGISTRY[rule_id]
    close = did_you_mean(rule_id.lower(), REGISTRY)
    hint = f"did you mean '{close}'?" if close else "run `cljourney rules` for the list"
    return f"unknown rule '{rule_id}'; {hint}"
