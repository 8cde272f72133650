"""What a validate run needs, fully built before it starts: `ValidateOptions`.

Here, below both the config (which builds it) and the pipeline (which reads it), so that the
config module never imports the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cljourney.check.baseline import Baseline
from cljourney.check.selection import RuleSelection
from cljourney.findings import FINDINGS_PER_RULE
from cljourney.load.tree import DEFAULT_LIMITS, Limits
from cljourney.rules import REGISTRY, RuleOptions

ALL_RULES = RuleSelection(enabled=frozenset(REGISTRY))


@dataclass(frozen=True)
class ValidateOptions:
    """Everything a validate run needs, fully built (see `config.build_validate_options`).

    `jobs`: worker processes; 0 picks by the amount of work (see `parallel.plan_jobs`).
    """

    rules: RuleOptions = field(default_factory=RuleOptions)
    limits: Limits = DEFAULT_LIMITS
    selection: RuleSelection = ALL_RULES
    baseline: Baseline | None = None
    # Named files that are not journeys are skipped instead of reported (for pre-commit).
    skip_non_journeys: bool = False
    jobs: int = 0
    # Findings listed per file and rule; the rest are counted in one finding (None: all, for
    # `--write-baseline`, which records every finding).
    max_per_rule: int | None = FINDINGS_PER_RULE
    # Where notes about the run go (fewer workers than asked for); the CLI prints them.
    note: Callable[[str], None] | None = field(default=None, compare=False)
