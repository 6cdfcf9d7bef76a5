"""The rules of the Party development pipeline (DESIGN §2) and what a person's file says is next.

`Dossier` reads one person's events, training contacts, introducers and assessments (prefetched by the
selectors, or loaded by the services) and answers every question the services, the board, the detail
page and the Due list ask: when was the person made an activist, when may they become a development
target, when does probation end, what is the next step and is it overdue. Rules are counted with
`members.dates` so that "one year" means the same everywhere.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import add_months, add_years, quarter_bounds, quarter_of
from .models import EventKind, PoliticalStatus, SponsorRole

# The rules, named so that error messages, docs and tests speak of the same numbers.
MIN_APPLICATION_AGE = 18
TALK_WITHIN_MONTHS = 1
CONTACTS_REQUIRED = 2  # the school's rule (national rule: one or two)
INTRODUCERS_REQUIRED = 2
ACTIVIST_YEARS_BEFORE_TARGET = 1
TRAINING_MIN_HOURS = Decimal(24)  # short training: at least 3 days / 24 hours
PROBATION_YEARS = 1
APPROVAL_WITHIN_MONTHS = 3
EXTENSION_MIN_MONTHS, EXTENSION_MAX_MONTHS = 6, 12
LEAGUE_AGE_LIMIT = 28
RECOMMENDATION_MIN_LEAGUE_YEARS = 1  # the school's rule for 推优
RECOMMENDATION_MIN_APPLICATION_MONTHS = 6  # the school's rule for 推优
DUE_SOON_DAYS = 60

# The Party steps; a new application starts a new cycle (after a cancellation, say).
PARTY_KINDS = frozenset(
    {
        EventKind.APPLICATION,
        EventKind.TALK,
        EventKind.ACTIVIST,
        EventKind.DEVELOPMENT_TARGET,
        EventKind.POLITICAL_REVIEW,
        EventKind.TRAINING,
        EventKind.ADMISSION,
        EventKind.HIGHER_APPROVAL,
        EventKind.OATH,
        EventKind.EXTENSION,
        EventKind.CONVERSION,
        EventKind.CANCELLATION,
    }
)


@dataclass(frozen=True)
class NextStep:
    """A step the person's file is waiting for. `step` is the slug of the step form (members:step)."""

    step: str
    label: str
    due_on: date | None
    severity: str = "info"  # info / warning (due soon) / danger (overdue or missing)
    category: str = ""
    url: str = ""

    @property
    def overdue(self) -> bool:
        return self.severity == "danger"


STEP_LABELS = {
    "talk": gettext_lazy("Talk with the applicant"),
    "activist": gettext_lazy("Choose as activist"),
    "recommendation": gettext_lazy("推优 by the League branch"),
    "recommendation-pending": gettext_lazy("推优 in progress: vote or League committee decision"),
    "contacts": gettext_lazy("Assign two training contacts"),
    "assessment": gettext_lazy("Quarterly assessment"),
    "development-target": gettext_lazy("Choose as development target"),
    "political-review": gettext_lazy("Political review"),
    "training": gettext_lazy("Short training (24 hours)"),
    "admission": gettext_lazy("Admission vote of the branch general meeting"),
    "approval": gettext_lazy("Approval by the higher Party committee"),
    "oath": gettext_lazy("Oath"),
    "conversion": gettext_lazy("Conversion to full member"),
}


def _severity(due_on: date | None, today: date, soon_days: int = 14) -> str:
    if due_on is None:
        return "info"
    if due_on < today:
        return "danger"
    if due_on <= today + timedelta(days=soon_days):
        return "warning"
    return "info"


class Dossier:
    """One person's Party development file, derived from their records (no queries of its own when
    the selector prefetched `status_events`, `sponsors` and `assessments`)."""

    def __init__(self, person, events=None, sponsors=None, assessments=None, recommendations=None):
        self.person = person
        self.events = sorted(
            events if events is not None else person.status_events.all(), key=lambda e: (e.date, e.pk or 0)
        )
        self.sponsors = list(sponsors if sponsors is not None else person.sponsors.all())
        self.assessments = sorted(
            assessments if assessments is not None else person.assessments.all(), key=lambda a: (a.date, a.pk or 0)
        )
        self._recommendations = recommendations
        party = [e for e in self.events if e.kind in PARTY_KINDS]
        starts = [i for i, e in enumerate(party) if e.kind == EventKind.APPLICATION]
        self.cycle = party[starts[-1] :] if starts else party

    # --- Facts ---------------------------------------------------------------------------------------

    def last(self, kind):
        for event in reversed(self.cycle):
            if event.kind == kind:
                return event
        return None

    def all_of(self, kind) -> list:
        return [e for e in self.cycle if e.kind == kind]

    def _on(self, kind) -> date | None:
        event = self.last(kind)
        return event.date if event else None

    @property
    def application_on(self):
        return self._on(EventKind.APPLICATION)

    @property
    def talk_on(self):
        return self._on(EventKind.TALK)

    @property
    def activist_on(self):
        return self._on(EventKind.ACTIVIST)

    @property
    def target_on(self):
        return self._on(EventKind.DEVELOPMENT_TARGET)

    @property
    def admitted_on(self):
        return self._on(EventKind.ADMISSION)

    @property
    def approved_on(self):
        return self._on(EventKind.HIGHER_APPROVAL)

    @property
    def oath_on(self):
        return self._on(EventKind.OATH)

    @property
    def converted_on(self):
        return self._on(EventKind.CONVERSION)

    @property
    def political_review_on(self):
        return self._on(EventKind.POLITICAL_REVIEW)

    @property
    def training_hours(self) -> Decimal:
        return sum((e.hours or Decimal(0) for e in self.all_of(EventKind.TRAINING)), Decimal(0))

    @property
    def extension_months(self) -> int:
        return sum(e.months or 0 for e in self.all_of(EventKind.EXTENSION))

    @property
    def extended(self) -> bool:
        return bool(self.all_of(EventKind.EXTENSION))

    @property
    def last_event(self):
        return self.cycle[-1] if self.cycle else None

    @property
    def talk_due_on(self):
        return add_months(self.application_on, TALK_WITHIN_MONTHS) if self.application_on else None

    @property
    def target_possible_on(self):
        """The first day on which the activist has been one full year in training."""
        return add_years(self.activist_on, ACTIVIST_YEARS_BEFORE_TARGET) if self.activist_on else None

    @property
    def probation_ends_on(self):
        """The first day on which conversion is allowed: one year from the admission meeting, plus any
        extension."""
        if not self.admitted_on:
            return None
        return add_months(add_years(self.admitted_on, PROBATION_YEARS), self.extension_months)

    @property
    def approval_due_on(self):
        return add_months(self.admitted_on, APPROVAL_WITHIN_MONTHS) if self.admitted_on else None

    def current_sponsors(self, role) -> list:
        return [s for s in self.sponsors if s.role == role and s.ended_on is None]

    @property
    def contacts(self) -> list:
        return self.current_sponsors(SponsorRole.CONTACT)

    @property
    def introducers(self) -> list:
        return self.current_sponsors(SponsorRole.INTRODUCER)

    def assessed_in(self, year: int, q: int) -> bool:
        return any(a.quarter == (year, q) for a in self.assessments)

    @property
    def last_assessment(self):
        return self.assessments[-1] if self.assessments else None

    def in_training(self) -> bool:
        return self.person.political_status in (PoliticalStatus.ACTIVIST, PoliticalStatus.DEVELOPMENT_TARGET)

    def missed_quarters(self, today: date) -> list[tuple[int, int]]:
        """Complete quarters since the person became an activist (the quarter of that day excluded)
        without any assessment."""
        if not self.activist_on or not self.in_training():
            return []
        out = []
        y, q = quarter_of(self.activist_on)
        cy, cq = quarter_of(today)
        while True:
            y, q = (y, q + 1) if q < 4 else (y + 1, 1)
            if (y, q) >= (cy, cq):
                break
            if not self.assessed_in(y, q):
                out.append((y, q))
        return out

    # --- What is next --------------------------------------------------------------------------------

    def next_steps(self, today: date) -> list[NextStep]:
        """What the file waits for, most urgent first."""
        status = self.person.political_status
        steps: list[NextStep] = []

        def add(step, due_on=None, severity=None, category="", url=""):
            steps.append(
                NextStep(
                    step,
                    str(STEP_LABELS[step]),
                    due_on,
                    severity or _severity(due_on, today),
                    category or str(STEP_LABELS[step]),
                    url or reverse("members:step", args=[self.person.pk, step]),
                )
            )

        if status == PoliticalStatus.APPLICANT:
            if not self.talk_on:
                add("talk", self.talk_due_on)
            pending = self.pending_recommendation()
            if pending is not None:
                view = (
                    "members:recommendation_vote" if pending.status == "nominated" else "members:recommendation_decide"
                )
                add("recommendation-pending", url=reverse(view, args=[pending.pk]))
            elif self.needs_recommendation(today) and not self.usable_recommendations():
                add("recommendation")
            add("activist")
        elif status == PoliticalStatus.ACTIVIST:
            if len(self.contacts) < CONTACTS_REQUIRED:
                add("contacts", self.activist_on, "danger")
            self._assessment_step(today, add)
            possible = self.target_possible_on
            add(
                "development-target",
                possible,
                "warning" if possible and possible <= today + timedelta(days=DUE_SOON_DAYS) else "info",
                _("One year as activist"),
            )
        elif status == PoliticalStatus.DEVELOPMENT_TARGET:
            if not self.political_review_on:
                add("political-review")
            if self.training_hours < TRAINING_MIN_HOURS:
                add("training")
            self._assessment_step(today, add)
            add("admission")
        elif status == PoliticalStatus.PROBATIONARY:
            if not self.approved_on:
                add("approval", self.approval_due_on)
            elif not self.oath_on:
                add("oath")
            ends = self.probation_ends_on
            severity = "info"
            if ends and ends <= today:
                severity = "danger"
            elif ends and ends <= today + timedelta(days=DUE_SOON_DAYS):
                severity = "warning"
            add("conversion", ends, severity, _("Probation ending"))
        order = {"danger": 0, "warning": 1, "info": 2}
        return sorted(steps, key=lambda s: (order[s.severity], s.due_on or date.max))

    def next_step(self, today: date) -> NextStep | None:
        steps = self.next_steps(today)
        return steps[0] if steps else None

    def _assessment_step(self, today, add):
        y, q = quarter_of(today)
        if self.assessed_in(y, q):
            return
        missed = self.missed_quarters(today)
        if missed:  # overdue since the end of the last quarter without one
            add("assessment", quarter_bounds(*missed[-1])[1], "danger")
            return
        _start, end = quarter_bounds(y, q)
        add("assessment", end, _severity(end, today, soon_days=30))

    # --- 推优 ----------------------------------------------------------------------------------------

    def needs_recommendation(self, on: date) -> bool:
        """A League member under 28 comes to the Party through 推优 (DESIGN §2)."""
        age = self.person.age_on(on)
        return self.person.is_league_member and age is not None and age < LEAGUE_AGE_LIMIT

    def _recs(self) -> list:
        if self._recommendations is None:
            self._recommendations = list(self.person.recommendations.all())
        return self._recommendations

    def pending_recommendation(self):
        """A nomination still waiting for its vote or for the League committee."""
        return next((r for r in self._recs() if r.status in ("nominated", "voted")), None)

    @property
    def came_through_recommendation(self) -> bool:
        return any(e.recommendation_id for e in self.cycle)

    def usable_recommendations(self) -> list:
        """Approved 推优 records of this person not yet used by a Party decision."""
        recs = self._recs()
        used = {e.recommendation_id for e in self.events if e.recommendation_id}
        return [r for r in recs if r.status == "approved" and r.pk not in used]
