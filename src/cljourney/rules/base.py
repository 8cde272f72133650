"""What a rule is: data (id, severity, docs) plus one `check(context)` function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from cljourney.findings import Finding, Kind, Related, Severity
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
class Rule:
    """A check with its documentation. `check` is None for rules the loader reports."""

    id: str
    severity: Severity
    summary: str
    finds: str
    matters: str
    bad: str
    good: str
    check: Check | None = field(default=None, compare=False)
