"""`validate --fix [--diff]`: the certain fixes (edit/fix.py) for a validate report's findings,
each listed on stderr (`path:line:column: fixed rule: what`), written atomically, or shown as a
unified diff with `--diff`. validate then runs again on the fixed files and reports what remains.
"""

from __future__ import annotations

import difflib
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from cljourney.findings import Finding, Report


@dataclass(frozen=True)
class Fixed:
    """What a fix run did: fixes made (or shown), and files that could not be fixed."""

    fixes: int = 0
    files: frozenset[str] = frozenset()
    failed: frozenset[str] = frozenset()

    def __add__(self, other: Fixed) -> Fixed:
        return Fixed(self.fixes + other.fixes, self.files | other.files, self.failed | other.failed)


def apply_fixes(report: Report, show_diff: bool, skip: frozenset[str] = frozenset()) -> Fixed:
    """Fix every file of `report` with a fixable finding (but those in `skip`, which could not be
    fixed before); nothing is written with `show_diff`."""
    from cljourney.cli.atomic import rewrite_journey
    from cljourney.edit.fix import FIXABLE, apply_edits, plan_fixes
    from cljourney.edit.source import EditError, check_edited, read_text
    from cljourney.errors import OutputError

    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        if finding.rule in FIXABLE and finding.path not in skip:
            by_path[finding.path].append(finding)
    fixes = 0
    files: set[str] = set()
    failed: set[str] = set()
    verb = "would fix" if show_diff else "fixed"
    for path, findings in by_path.items():
        try:
            source = read_text(Path(path))
            edits = plan_fixes(source, findings)
            if not edits:
                continue
            text = apply_edits(source, edits)
            check_edited(source, text)
            if show_diff:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        source.text.splitlines(keepends=True),
                        text.splitlines(keepends=True),
                        f"{path} (before)",
                        f"{path} (fixed)",
                    )
                )
            else:
                rewrite_journey(source.path, ("\ufeff" if source.bom else "") + text)
        except (EditError, OutputError) as exc:
            sys.stderr.write(f"cljourney: cannot fix: {exc}\n")
            failed.add(path)
            continue
        for edit in edits:
            sys.stderr.write(
                f"{path}:{edit.line}:{edit.column}: {verb} {edit.rule}: {edit.title}\n"
            )
        fixes += len(edits)
        files.add(path)
    return Fixed(fixes, frozenset(files), frozenset(failed))


def summary(fixed: Fixed, show_diff: bool) -> str:
    """The line closing the fix listing."""
    from cljourney.text.words import plural

    verb = "would be applied" if show_diff else "applied"
    where = f" in {plural(len(fixed.files), 'file')}" if fixed.fixes else ""
    return f"cljourney: {plural(fixed.fixes, 'fix', 'fixes')} {verb}{where}\n"
