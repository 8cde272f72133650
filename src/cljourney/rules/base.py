"""What a rule is: data (id, severity, docs, options) plus the function that checks it.

Four kinds, each explicit: a `Rule` checks one journey, a `ProjectRule` the whole set of journeys
of a run, a `FileRule` is reported by a step of the pipeline (reading, loading, suppressions), and
a `LogRule` holds a journey against an event log (`cljourney conform`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from cljourney.findings import Finding, Kind, Location, Related, Severity
from cljourney.graph import Flow
from cljourney.load.journey import Loc, Source
from cljourney.model import JourneyFile

# Words that show a why speaks of the company's gain; matched as whole words, case-insensitive.
DEFAULT_INWARD_WORDS: tuple[str, ...] = (
    "upsell",
    "up-sell",
    "cross-sell",
    "crosssell",
    "revenue",
    "quota",
    "pipeline",
    "arr",
    "mrr",
    "bookings",
    "commission",
    "margin",
    "monetize",
    "monetise",
    "wallet share",
    "our sales",
    "our numbers",
    "our targets",
    "for us",
    "close the deal",
    "churn rate",
    "nrr",
    "acv",
    # Company metrics and aims a customer never has for a step (issue 17).
    "churn",
    "churning",
    "retention",
    "retention targets",
    "net revenue retention",
    "grr",
    "ltv",
    "lifetime value",
    "cac",
    "customer acquisition cost",
    "cost to serve",
    "cost per",
    "expansion",
    "logos",
    "logo",
    "case studies",
    "case study",
    "the deal",
    "deal closes",
    "win rates",
    "win rate",
    "forecast",
    "sales cycle",
    "seats sold",
    "seat growth",
    "price increase",
    "premium tier",
    "an upgrade",
    "protect the renewal",
    "protects the renewal",
    "secure the renewal",
    "secures the renewal",
    "renewal risk",
    "renewal rate",
    "end of the quarter",
    "this quarter",
    "the quarter closes",
    "targets",
    "target",
    "kpis",
    "csat",
    "nps",
    "conversion",
    "conversion rate",
    "conversions",
    "open rates",
    "open rate",
    "click-through",
    "average order value",
    "aov",
    "basket size",
    "repeat purchase",
    "share of wallet",
    "the share of",
    "footfall",
    "traffic",
    "search rankings",
    "rankings",
    "ranking",
    "first-party data",
    "personalised ads",
    "number of returns",
    "spare capacity",
    "utilisation",
    "utilization",
    "handle time",
    "deflects",
    "deflect",
    "deflection",
    "backlog",
    "escalations",
    "quality assurance",
    "agent coaching",
    "locks in",
    "lock in",
    "reactivation",
    "sign-ups",
    "signups",
    "interchange fees",
    "penalty credits",
    "retargeting",
    "remarketing",
)
# Words that show a why speaks of the customer.
DEFAULT_CUSTOMER_WORDS: tuple[str, ...] = (
    "customer",
    "customers",
    "customer's",
    "client",
    "clients",
    "client's",
    "user",
    "users",
    "buyer",
    "buyers",
    "shopper",
    "shoppers",
    "subscriber",
    "subscribers",
    "household",
    "households",
    "visitor",
    "visitors",
    "prospect",
    "prospects",
    "end user",
    "end users",
    "sponsor",
    "member",
    "members",
    "they",
    "their",
    "them",
    "you",
    "your",
    "admin",
    "admins",
    "champion",
    "team",
)
DEFAULT_PLACEHOLDERS: tuple[str, ...] = (
    "tbd",
    "tbc",
    "todo",
    "to do",
    "fixme",
    "xxx",
    "n/a",
    "na",
    "none",
    "-",
    "?",
    "...",
    "…",
    "lorem ipsum",
    "placeholder",
    "to be defined",
    "to be decided",
    "see above",
    "same as above",
    "why",
    "because",
)


@dataclass(frozen=True)
class RuleOptions:
    """Tunable inputs of the rules (config files can change them)."""

    min_why_length: int = 20
    inward_words: tuple[str, ...] = DEFAULT_INWARD_WORDS
    customer_words: tuple[str, ...] = DEFAULT_CUSTOMER_WORDS
    placeholders: tuple[str, ...] = DEFAULT_PLACEHOLDERS
    # A shared channel vocabulary for journeys that declare no `channels` of their own.
    channels: tuple[str, ...] | None = None
    # Evidence older than this is stale (`stale-evidence`), a duration.
    stale_evidence_after: str = "365d"
    # The date runs judge by (`--today`, CLJOURNEY_TODAY), as YYYY-MM-DD; None: the clock.
    today: str | None = None


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may look at, fully built before any rule runs."""

    journey: JourneyFile
    source: Source
    flow: Flow
    options: RuleOptions = field(default_factory=RuleOptions)

    @property
    def path(self) -> str:
        return self.source.path

    def finding(
        self,
        rule: Rule,
        loc: Loc,
        message: str,
        element: str,
        kind: Kind,
        *,
        key: bool = False,
        related: tuple[Related, ...] = (),
    ) -> Finding:
        """A finding of `rule` about the `kind` element `element`, at the value (or key) found at
        `loc` in the source tree."""
        return Finding(
            rule.id,
            rule.severity,
            message,
            self.source.path,
            self.source.find(loc, key=key),
            self.journey.journey.id,
            element,
            kind,
            related,
        )


Check = Callable[[RuleContext], Iterator[Finding]]


@dataclass(frozen=True)
class JourneyEntry:
    """What a project rule sees of one journey of the run: its file, its `journey.id`, and where
    that id is written (None when no project rule runs on this file: it still counts as seen)."""

    path: str
    journey: str
    at: Location | None


ProjectCheck = Callable[[Iterable[JourneyEntry]], Iterator[Finding]]


@dataclass(frozen=True)
class Option:
    """A config option (`[tool.cljourney.options]`) that tunes a rule: declared on the rules that
    read it, and read from there by `explain`, `rules --format json` and the config validation.

    `key` is the config key; the `RuleOptions` field it sets is the same name in snake case.
    `extends`: for `extend-X`, the key X whose value (or defaults) it adds to. `count`: a whole
    number of at least 1; otherwise a list of words.
    """

    key: str
    description: str
    count: bool = False
    extends: str | None = None
    measure: str | None = None
    """`share` (`"90%"` or `0.9`) or `duration` (`"30d"`): an option of the rules `conform` runs,
    read into `ConformOptions`; its default is `shown_default`."""
    shown_default: str | None = None

    @property
    def attribute(self) -> str:
        """The attribute name, in `RuleOptions` and the config model."""
        return self.key.replace("-", "_")

    def default(self) -> object:
        """The default value (None for an `extend-` key or an option unset by default)."""
        if self.measure is not None:
            return self.shown_default
        return getattr(RuleOptions(), self.attribute, None)


class Step(str, enum.Enum):
    """The pipeline step that reports a file-level rule (see `FileRule`)."""

    READ = "read"  # check.pipeline reads the file
    LOAD = "load"  # load.journey parses the YAML and checks the schema
    SUPPRESSIONS = "suppressions"  # check.suppress matches `# cljourney: ignore` comments


@dataclass(frozen=True, kw_only=True)
class BaseRule:
    """What every rule declares: its id, default severity, one-line summary, documentation (what
    it finds, why it matters, a failing and a passing example) and the options it reads."""

    id: str
    severity: Severity
    summary: str
    finds: str
    matters: str
    bad: str
    good: str
    options: tuple[Option, ...] = ()

    def finding(
        self, message: str, path: str, location: Location, journey: str = "", kind: Kind = Kind.NONE
    ) -> Finding:
        """A finding of this rule at its default severity (config severities apply later)."""
        return Finding(self.id, self.severity, message, path, location, journey, "", kind)


@dataclass(frozen=True, kw_only=True)
class Rule(BaseRule):
    """A rule that checks one journey at a time: `check(context)` on a `RuleContext`."""

    check: Check = field(compare=False)
    scope: ClassVar[str] = "journey"


@dataclass(frozen=True, kw_only=True)
class ProjectRule(BaseRule):
    """A rule that checks the whole set of journeys of a run: `check_project(journeys)`, once,
    over every journey's `JourneyEntry` in the order the files were given."""

    check_project: ProjectCheck = field(compare=False)
    scope: ClassVar[str] = "project"


@dataclass(frozen=True, kw_only=True)
class FileRule(BaseRule):
    """A rule about the file itself, whose findings the pipeline step `reported_by` creates where
    the data is (the reader knows the OS error, the loader the YAML error); declared here all the
    same, like every other rule."""

    reported_by: Step
    scope: ClassVar[str] = "file"


@dataclass(frozen=True, kw_only=True)
class LogRule(BaseRule):
    """A rule that holds one journey against an event log: run by `cljourney conform` only, on
    what the log says (`conform.measures`); `validate` never runs it. Its check is
    `check_log(context)` on a `rules.conform.ConformContext` (typed there, where the log's
    measures are known)."""

    check_log: Callable[..., Iterator[Finding]] = field(compare=False)
    scope: ClassVar[str] = "log"


AnyRule = Rule | ProjectRule | FileRule | LogRule
