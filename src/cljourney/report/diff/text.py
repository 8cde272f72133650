"""`diff --format text`: one line per change under a heading per journey, then a summary.

Changed text shows its before and after on `-`/`+` lines. Coloured with rich on a terminal; plain
when piped or with NO_COLOR, so it can be grepped.
"""

from __future__ import annotations

from typing import TextIO

from cljourney.diff.pairing import DiffResult, JourneyDiff
from cljourney.diff.records import LEVELS, Change, Level, Value, show_value
from cljourney.report.diff import DiffReportOptions
from cljourney.text import words as wording
from cljourney.text.shown import printable

_STYLE = {Level.BREAKING: "bold red", Level.RISKY: "yellow", Level.INFO: "cyan"}


def show(value: Value) -> str:
    """A value on a before/after line: as in the messages, but text unquoted."""
    return show_value(value, quoted=False)


def shows_text(change: Change) -> bool:
    """Before/after lines for changed text and lists; numbers and ids are in the message."""
    return (
        change.field is not None
        and (isinstance(change.before, (str, tuple)) or isinstance(change.after, (str, tuple)))
        and change.field not in ("owner", "stage", "position")
    )


def summary_line(result: DiffResult) -> str:
    total = len(result.changes)
    if total == 0:
        return (
            f"No journey changes ({printable(result.old_label)} -> {printable(result.new_label)})."
        )
    counts = ", ".join(f"{result.count(level)} {level.value}" for level in LEVELS)
    noun = wording.noun(total, "change")
    return f"{total} {noun}: {counts} ({printable(result.old_label)} -> {printable(result.new_label)})."


def lines(result: DiffResult) -> list[tuple[str, Level | None]]:
    """The report as (line, level of the line or None) pairs, shared by plain and rich output."""
    out: list[tuple[str, Level | None]] = []
    for journey in result.journeys:
        if not journey.changes:
            continue
        out.append((f"journey {journey.journey} ({files(journey)})", None))
        for change in journey.changes:
            out.append((f"  {change.level.value:<8} {_one_line(change.message)}", change.level))
            if shows_text(change):
                out.append((f"             - {_one_line(show(change.before))}", None))
                out.append((f"             + {_one_line(show(change.after))}", None))
    return out


def files(journey: JourneyDiff) -> str:
    """The file of each side, once when both sides are the same path: `a.yaml -> b.yaml`."""
    old = journey.old.path if journey.old else None
    new = journey.new.path if journey.new else None
    if old and new and old != new:
        return f"{printable(old)} -> {printable(new)}"
    return printable(old or new or "?")  # a file name may hold a newline or non-UTF-8 bytes


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write(result: DiffResult, stream: TextIO, options: DiffReportOptions) -> None:
    if not options.color:
        for line, _ in lines(result):
            stream.write(line + "\n")
        stream.write(summary_line(result) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(
        file=stream, force_terminal=True, no_color=False, highlight=False, soft_wrap=True
    )
    for line, level in lines(result):
        if level is None:
            style = "bold" if line.startswith("journey ") else "dim"
            console.print(Text(line, style=style))
        else:
            text = Text("  ")
            text.append(f"{level.value:<8}", style=_STYLE[level])
            text.append(line[2 + 8 :])
            console.print(text)
    worst = next((level for level in LEVELS if result.count(level)), None)
    console.print(Text(summary_line(result), style=_STYLE[worst] if worst else "bold green"))
