"""Governance queries on a journey (issue 18): its review state, the evidence behind its customer
claims, its tracked opportunities. Pure functions, shared by the rules, `status` and the maps;
the one piece of I/O, the date of the last commit touching a file, is asked only when a journey
has a `review` cadence and no `review.last`.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from cljourney.load.journey import Loc
from cljourney.model import JourneyFile, JourneyInfo
from cljourney.model.fields import duration_seconds
from cljourney.model.parts import EVIDENCE_LEVELS, Evidence, Metric, Opportunity, PainPoint, Review
from cljourney.text.words import plural

TODAY_ENV = "CLJOURNEY_TODAY"
_E = TypeVar("_E")
UNBACKED = "assumed"  # a claim with no evidence counts as assumed


def parse_date(text: str) -> datetime.date | None:
    """A `YYYY-MM-DD` date, or None when the text is not one."""
    try:
        return datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def today(fixed: str | None = None) -> datetime.date:
    """The date runs judge by: `fixed` (`--today`), else CLJOURNEY_TODAY, else the clock (the
    CLI refuses a CLJOURNEY_TODAY that is not a date before any run)."""
    fixed = fixed or os.environ.get(TODAY_ENV)
    date = parse_date(fixed) if fixed else None
    return date or datetime.date.today()


def last_commit_date(path: str) -> datetime.date | None:
    """The date of the last commit that touched `path`, or None (not a file, not in a git
    repository, not committed, git missing, or beyond a shallow clone's history)."""
    return _last_commit(path)[0]


def _last_commit(path: str) -> tuple[datetime.date | None, bool]:
    """(the date of the last commit touching `path`, whether a shallow clone hides it). Never
    raises: no file, no repository or no git is (None, False)."""
    import subprocess  # only here: most runs never ask git (start-up time, pre-commit)

    file = Path(path)
    if not file.is_file():
        return None, False
    env = {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=file.parent, capture_output=True, env=env, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None

    found = git("log", "-1", "--format=%cs %H %P", "--", file.name)
    if not found or not found.split():
        return None, False
    date, commit, *parents = found.split()
    if not parents and _shallow_boundary(git, commit, file.parent):
        # The oldest commit a shallow clone holds seems to add every file: its date says when
        # the clone was cut, not when the file last changed.
        return None, True
    return parse_date(date), False


def _shallow_boundary(git: Callable[..., str | None], commit: str, where: Path) -> bool:
    """Whether `commit` is where a shallow clone's history is cut (git's shallow file; its path
    is given relative to `where`, the folder git ran in)."""
    lines = (
        git("rev-parse", "--is-shallow-repository", "--git-path", "shallow") or ""
    ).splitlines()
    if len(lines) < 2 or lines[0] != "true":
        return False
    try:
        return commit in (where / lines[1]).read_text(encoding="ascii", errors="replace").split()
    except OSError:
        return False


# Why a journey with a cadence has no review date (the `review-overdue` finding, the maps).
SHALLOW_CLONE = (
    "its last commit is beyond this shallow clone's history (fetch it: actions/checkout"
    " with `fetch-depth: 0`)"
)
NOT_COMMITTED = "the file is not committed in a git repository"


@dataclass(frozen=True)
class ReviewState:
    """When a journey was last reviewed (and where that date comes from) and when it is due."""

    last: datetime.date | None
    from_git: bool
    every: str | None
    due: datetime.date | None
    by: str | None
    today: datetime.date
    shallow: bool = False  # no date: the file's last commit is beyond a shallow clone's history

    @property
    def overdue_days(self) -> int:
        """Days past the due date (0 when not overdue or no cadence)."""
        return max(0, (self.today - self.due).days) if self.due else 0

    def due_words(self) -> str:
        """The review against `today`, in words: `review overdue by 12 days (due 2026-12-13)`,
        `next review due in 5 days (2026-12-13)`, `next review due today (2026-12-13)`; with no
        review date, why there is none; empty when there is nothing to say (no cadence)."""
        if self.last is None:
            if self.shallow:
                return f"no review date: {SHALLOW_CLONE}"
            return f"no review date: {NOT_COMMITTED}" if self.every else ""
        if self.due is None:
            return ""
        days, due = (self.due - self.today).days, self.due.isoformat()
        if days < 0:
            return f"review overdue by {plural(-days, 'day')} (due {due})"
        when = f"in {plural(days, 'day')}" if days else "today"
        return f"next review due {when} ({due})"

    def to_dict(self) -> dict[str, object]:
        """As `status --format json` and `render --format json --today` write it."""
        return {
            "every": self.every,
            "last": self.last.isoformat() if self.last else None,
            "last_from": None if self.last is None else "git" if self.from_git else "file",
            "shallow_clone": self.shallow,
            "by": self.by,
            "next_due": self.due.isoformat() if self.due else None,
            "overdue_days": self.overdue_days,
        }

    def describe(self) -> str:
        """`reviewed 2026-09-14 by cs-ops, next due 2026-12-13` or `review overdue by 12 days`."""
        if self.last is None:
            return "never reviewed" + (f" (every {self.every})" if self.every else "")
        text = f"reviewed {self.last.isoformat()}" + (" (last commit)" if self.from_git else "")
        text += f" by {self.by}" if self.by else ""
        if self.overdue_days:
            days = self.overdue_days
            return f"{text}; review overdue by {days} day{'s' if days != 1 else ''}"
        return f"{text}, next due {self.due.isoformat()}" if self.due else text


def review_state(review: Review, path: str, on: datetime.date) -> ReviewState:
    """The review state of a journey with a `review` block, read on the date `on`; the last
    review is `review.last`, else the last commit touching `path` (git is asked only here, and
    `review-overdue` asks only for journeys with a cadence)."""
    last = parse_date(review.last) if review.last else None
    from_git = shallow = False
    if last is None:  # with or without a cadence: `status` shows when it was last reviewed
        last, shallow = _last_commit(path)
        from_git = last is not None
    due = None
    if last is not None and review.every is not None:
        due = last + datetime.timedelta(seconds=duration_seconds(review.every))
    return ReviewState(last, from_git, review.every, due, review.by, on, shallow)


@dataclass(frozen=True)
class Claim:
    """One customer-side claim (what the customer does/thinks/feels, or a pain point): where it
    is written, its evidence level (`assumed` when it has none) and the evidence's date."""

    stage: int
    touchpoint: str
    loc: Loc
    level: str
    evidenced: bool
    date: str | None
    source: str | None


def claims(journey: JourneyFile) -> Iterator[Claim]:
    """Every customer-side claim of the journey, in file order."""
    for s, stage in enumerate(journey.stages):
        for t, tp in enumerate(stage.touchpoints):
            base: Loc = ("stages", s, "touchpoints", t)
            moment = tp.customer
            if moment is not None and (moment.does or moment.thinks or moment.feels):
                ev = moment.evidence
                yield Claim(
                    s,
                    tp.id,
                    (*base, "customer"),
                    ev.level if ev else UNBACKED,
                    ev is not None,
                    ev.date if ev else None,
                    ev.source if ev else None,
                )
            for k, pain in enumerate(tp.pain_points):
                ev = pain.evidence if isinstance(pain, PainPoint) else None
                yield Claim(
                    s,
                    tp.id,
                    (*base, "pain_points", k),
                    ev.level if ev else UNBACKED,
                    ev is not None,
                    ev.date if ev else None,
                    ev.source if ev else None,
                )


def evidence_shares(journey: JourneyFile) -> dict[str, int]:
    """How many customer claims stand at each evidence level (no evidence counts as assumed)."""
    counts = dict.fromkeys(EVIDENCE_LEVELS, 0)
    for claim in claims(journey):
        counts[claim.level] += 1
    return counts


@dataclass(frozen=True)
class TrackedOpportunity:
    touchpoint: str
    loc: Loc
    opportunity: Opportunity


def opportunities(journey: JourneyFile) -> Iterator[TrackedOpportunity]:
    """Every opportunity written as an object (plain-text ones are untracked ideas)."""
    for s, stage in enumerate(journey.stages):
        for t, tp in enumerate(stage.touchpoints):
            for k, item in enumerate(tp.opportunities):
                if isinstance(item, Opportunity):
                    loc: Loc = ("stages", s, "touchpoints", t, "opportunities", k)
                    yield TrackedOpportunity(tp.id, loc, item)


OPEN_STATUSES = ("idea", "planned", "in-progress")  # not yet decided: done and dropped are


@dataclass(frozen=True)
class JourneyStatus:
    """One journey at a glance: who owns it, whether it is in use, its review state, how its
    customer claims are backed, and its open (tracked) opportunities."""

    path: str
    id: str
    name: str
    owner: str
    status: str | None
    review: ReviewState | None
    evidence: dict[str, int]
    open_opportunities: tuple[TrackedOpportunity, ...]

    @property
    def claims(self) -> int:
        return sum(self.evidence.values())

    def share(self, level: str) -> float:
        """The share of customer claims at `level` (0 when there are none)."""
        return self.evidence[level] / self.claims if self.claims else 0.0


def journey_status(journey: JourneyFile, path: str, on: datetime.date) -> JourneyStatus:
    info = journey.journey
    review = review_state(info.review, path, on) if info.review is not None else None
    open_ones = tuple(
        tracked
        for tracked in opportunities(journey)
        if (tracked.opportunity.status or "idea") in OPEN_STATUSES
    )
    return JourneyStatus(
        path,
        info.id,
        info.name,
        info.owner,
        info.status,
        review,
        evidence_shares(journey),
        open_ones,
    )


def by_urgency(statuses: list[JourneyStatus]) -> list[JourneyStatus]:
    """Most overdue first, then the soonest due, then journeys with no cadence, by id."""

    def key(item: JourneyStatus) -> tuple[int, str, str]:
        review = item.review
        due = review.due.isoformat() if review is not None and review.due else "9999-99-99"
        return (-(review.overdue_days if review else 0), due, item.id)

    return sorted(statuses, key=key)


# Shown in maps: deterministic (no clock, no git unless `render --today` asks for the review's
# state), so a rendered map stays current until the journey changes and `render --check` in CI
# does not turn stale with the calendar.
EVIDENCE_LEGEND = (
    "observed: seen (recordings, analytics); reported: customers said so (surveys, verbatims);"
    " assumed: the team's guess. A claim without a mark has no evidence."
)


def written_due(review: Review | None) -> str:
    """The next due date from the written `review.last` and `every` (`YYYY-MM-DD`), or empty."""
    last = parse_date(review.last) if review is not None and review.last else None
    if review is None or last is None or review.every is None:
        return ""
    return (last + datetime.timedelta(seconds=duration_seconds(review.every))).isoformat()


def index_order(entries: Sequence[_E], due: Callable[[_E], str]) -> list[_E]:
    """Index entries by next due date, earliest (most overdue) first; those without one after,
    in the order given."""
    return sorted(entries, key=lambda entry: due(entry) or "9999-99-99")


def review_line(info: JourneyInfo, state: ReviewState | None = None) -> str:
    """The journey's status and review, in words (`live · reviewed 2026-09-14 by cs-ops, next
    due 2026-12-13 (every 90d)`); empty when it has neither. With `state` (`render --today`),
    the review as of that day: `...; review overdue by 12 days (due 2026-12-13), as of ...`."""
    parts: list[str] = [info.status] if info.status else []
    review = info.review
    if review is not None and state is not None:
        parts.append(_dated_review(review, state))
    elif review is not None:
        by = f" by {review.by}" if review.by else ""
        last = parse_date(review.last) if review.last else None
        if last is not None:
            text = f"reviewed {last.isoformat()}{by}"
            if review.every:
                due = last + datetime.timedelta(seconds=duration_seconds(review.every))
                text += f", next due {due.isoformat()} (every {review.every})"
        elif review.every:
            text = f"reviewed every {review.every}{by}; last review: the last commit of the file"
        else:
            text = f"reviewed{by}"
        parts.append(text)
    return " · ".join(parts)


def _dated_review(review: Review, state: ReviewState) -> str:
    by = f" by {review.by}" if review.by else ""
    every = f", every {review.every}" if review.every else ""
    text = "reviewed"
    if state.last is not None:
        text += f" {state.last.isoformat()}" + (" (last commit)" if state.from_git else "")
    text += by + every
    due = state.due_words()
    if due and state.due is not None:
        return f"{text}; {due}, as of {state.today.isoformat()}"
    return f"{text}; {due}" if due else text


def evidence_label(evidence: Evidence | None) -> str:
    """`observed: 12 kickoff recordings` (level and source), or empty without evidence."""
    if evidence is None:
        return ""
    extra = ", ".join(part for part in (evidence.source, evidence.date) if part)
    return f"{evidence.level}: {extra}" if extra else evidence.level


def item_note(item: str | PainPoint | Opportunity | Metric) -> str:
    """What an object item says besides its text: evidence, status and owner, target and source."""
    if isinstance(item, str):
        return ""
    if isinstance(item, PainPoint):
        return evidence_label(item.evidence)
    if isinstance(item, Opportunity):
        status: tuple[str | None, ...] = (
            item.status,
            f"owner {item.owner}" if item.owner else None,
        )
        return ", ".join(part for part in status if part)
    fields = (
        f"target {item.target}" if item.target else None,
        f"source {item.source}" if item.source else None,
        f"owner {item.owner}" if item.owner else None,
    )
    return ", ".join(part for part in fields if part)


def uses_evidence(journey: JourneyFile) -> bool:
    return any(claim.evidenced for claim in claims(journey))
