"""Rule documentation as text: `cljourney rules`, `cljourney explain RULE` and the README table.

All of it comes from the registry, so the CLI, the README and SARIF help say the same thing.
"""

from __future__ import annotations

import difflib
import json

from cljourney.rules import REGISTRY, Rule


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
        }
        for r in REGISTRY.values()
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _indent(block: str) -> str:
    return "".join(f"    {line}\n" for line in block.splitlines())


def explain(rule: Rule) -> str:
    """What the rule finds, why it matters to customers, and a failing and a passing example."""
    return (
        f"{rule.id} ({rule.severity.value} by default): {rule.summary}\n\n"
        f"What it finds\n    {rule.finds}\n\n"
        f"Why it matters to customers\n    {rule.matters}\n\n"
        f"Fails\n{_indent(rule.bad)}\n"
        f"Passes\n{_indent(rule.good)}\n"
        f"Silence one finding: # cljourney: ignore[{rule.id}] <reason>\n"
    )


def lookup(rule_id: str) -> Rule | str:
    """The rule called `rule_id`, or an error message with a did-you-mean."""
    if rule_id in REGISTRY:
        return REGISTRY[rule_id]
    close = difflib.get_close_matches(rule_id.lower(), sorted(REGISTRY), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "run `cljourney rules` for the list"
    return f"unknown rule '{rule_id}'; {hint}"
