"""Reads of the members app. Each owns its select_related / prefetch / annotations, so pages and
reports run a fixed number of queries whatever the number of people.

The figures the annual summary prints about people are declared in `members.figures`, on the querysets
and rules of `members.models`; pages that show the same counts (the 推优 page) read the same rules.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import LEAGUE_KINDS, Officer, Organization
from branches.periods import calendar_year
from core.due import DueItem

from .access import people_for, sensitive_q
from .dates import quarter_of
from .decisions import VOTE_STEPS, decision_provider
from .models import (
    PIPELINE_STATUSES,
    Assessment,
    LeagueRegistration,
    Membership,
    PartyAppraisal,
    Person,
    PoliticalStatus,
    Recommendation,
    RecommendationStatus,
    RecommendationTarget,
    Sponsor,
    StatusEvent,
)
from .models.pipeline import RECOMMENDATION_APPROVED, RECOMMENDATION_DECLINED, RECOMMENDATION_PASSED
from .pipeline import DUE_SOON_DAYS, LEAGUE_AGE_LIMIT, Dossier

SORTS = {
    "pinyin": ("pinyin", "pk"),
    "-pinyin": ("-pinyin", "-pk"),
    "status": ("political_status", "pinyin", "pk"),
    "since": ("-status_since", "pinyin", "pk"),
    "organization": ("organization__path", "pinyin", "pk"),
}


def _people_in(orgs_q: Q) -> Q:
    orgs = Organization.objects.filter(orgs_q)
    return Q(organization__in=orgs) | Q(party_organization__in=orgs)


# --- Lists ------------------------------------------------------------------------------------------


def person_list(
    user,
    *,
    text: str = "",
    status: str = "",
    category: str = "",
    organization: Organization | None = None,
    grade: int | None = None,
    active: str = "1",
    sort: str = "pinyin",
) -> QuerySet:
    """The member list: the people `user` may see, searched (name, full pinyin, pinyin prefix, initials,
    ID tail, class or organization name) and filtered; sorted by pinyin unless asked otherwise."""
    qs = people_for(user, Person.objects.select_related("organization", "party_organization"))
    text = (text or "").strip()
    if text:
        by_person = Person.objects.search(text, id_numbers=sensitive_q(user)).values("pk")
        qs = qs.filter(
            Q(pk__in=by_person) | Q(organization__name__icontains=text) | Q(organization__short_name__icontains=text)
        )
    if status == PoliticalStatus.LEAGUE_MEMBER:
        # League membership is not a political status: an applicant or activist in the League is a League
        # member too (`Person.objects.league_members`).
        qs = qs.league_members()
    elif status:
        qs = qs.filter(political_status=status)
    if category:
        qs = qs.filter(category=category)
    if organization is not None:
        qs = qs.filter(_people_in(Q(path__startswith=organization.path)))
    if grade:
        qs = qs.filter(organization__grade=grade)
    if active == "1":
        qs = qs.filter(is_active=True)
    elif active == "0":
        qs = qs.filter(is_active=False)
    return qs.order_by(*SORTS.get(sort, SORTS["pinyin"]))


def person_detail(pk: int) -> Person:
    """One person with everything the detail page shows (fixed number of queries)."""
    return (
        Person.objects.select_related("organization", "party_organization", "user")
        .prefetch_related(
            Prefetch(
                "status_events",
                queryset=StatusEvent.objects.select_related("organization", "meeting", "vote", "recommendation"),
            ),
            Prefetch("sponsors", queryset=Sponsor.objects.select_related("sponsor")),
            Prefetch("assessments", queryset=Assessment.objects.select_related("contact")),
            Prefetch("memberships", queryset=Membership.objects.select_related("organization")),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("league_branch", "committee", "vote__meeting"),
            ),
            Prefetch("party_appraisals", queryset=PartyAppraisal.objects.select_related("organization")),
            Prefetch("league_registrations", queryset=LeagueRegistration.objects.select_related("organization")),
            Prefetch("posts", queryset=Officer.objects.select_related("organization")),
            Prefetch("sponsoring", queryset=Sponsor.objects.filter(ended_on__isnull=True).select_related("person")),
        )
        .get(pk=pk)
    )


@dataclass
class TimelineEntry:
    day: date
    kind: str  # "event", "assessment", "membership", "recommendation", "appraisal", "league"
    title: str
    detail: str = ""
    obj: object = None
    css: str = ""


def timeline(person: Person) -> list[TimelineEntry]:
    """Every dated record of a prefetched person (`person_detail`), newest first."""
    out: list[TimelineEntry] = []
    for e in person.status_events.all():
        detail = []
        if e.organization:
            detail.append(str(e.organization))
        if e.hours:
            detail.append(_("%(h)s hours") % {"h": e.hours})
        if e.months:
            detail.append(_("%(m)s months") % {"m": e.months})
        if e.from_file:
            detail.append(_("from the personnel file"))
        out.append(TimelineEntry(e.date, "event", e.get_kind_display(), " · ".join(detail), e, "party"))
    for a in person.assessments.all():
        title = _("Quarterly assessment: %(rating)s") % {"rating": a.get_rating_display()}
        detail = _("by %(contact)s") % {"contact": a.contact.name}
        if a.thought_report:
            detail += " · " + _("thought report received")
        out.append(TimelineEntry(a.date, "assessment", title, detail, a))
    for m in person.memberships.all():
        out.append(
            TimelineEntry(
                m.started_on,
                "membership",
                _("Joined %(org)s") % {"org": m.organization},
                m.get_start_reason_display(),
                m,
            )
        )
        if m.ended_on:
            out.append(
                TimelineEntry(
                    m.ended_on,
                    "membership",
                    _("Left %(org)s") % {"org": m.organization},
                    " · ".join(x for x in (m.get_end_reason_display(), m.counterpart) if x),
                    m,
                )
            )
    for r in person.recommendations.all():
        out.append(
            TimelineEntry(r.nominated_on, "recommendation", _("推优: nominated"), str(r.league_branch), r, "league")
        )
        if r.decided_on:
            out.append(
                TimelineEntry(
                    r.decided_on, "recommendation", _("推优: %(s)s") % {"s": r.get_status_display()}, "", r, "league"
                )
            )
    for a in person.party_appraisals.all():
        out.append(
            TimelineEntry(
                date(a.year, 12, 31),
                "appraisal",
                _("Democratic appraisal %(year)s: %(rating)s") % {"year": a.year, "rating": a.get_rating_display()},
                "",
                a,
            )
        )
    for r in person.league_registrations.all():
        registered = _("registered") if r.registered else _("not registered")
        out.append(
            TimelineEntry(
                date(r.year, 12, 31),
                "league",
                _("League appraisal %(year)s: %(rating)s") % {"year": r.year, "rating": r.get_rating_display()},
                registered,
                r,
                "league",
            )
        )
    return sorted(out, key=lambda t: t.day, reverse=True)


def unused_votes(person: Person) -> list:
    """Votes about `person` entered on meetings and not yet used by a step (admission, conversion,
    推优): the detail page points to the step that picks each. The votes come through the person's own
    relations (a vote is used once a `StatusEvent` or a `Recommendation` refers to it); which step a vote
    decides is the meetings app's answer (`members.decisions`)."""
    step_of = decision_provider().vote_step
    votes = (
        person.votes.filter(status_event__isnull=True, recommendation__isnull=True)
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )
    out = []
    for v in votes:
        step = step_of(v)
        if step == "recommendation":
            rec = next((r for r in person.recommendations.all() if r.status == RecommendationStatus.NOMINATED), None)
            url = reverse("members:recommendation_vote", args=[rec.pk]) if rec else ""
        elif step in VOTE_STEPS:
            url = reverse("members:step", args=[person.pk, step])
        else:
            continue  # a motion about the person that decides no step
        out.append({"vote": v, "url": url})
    return out


# --- The pipeline board and the Due list ------------------------------------------------------------


def pipeline_people(user, *, organization: Organization | None = None) -> list[Dossier]:
    """Dossiers of the active people in the pipeline (applicant → probationary) `user` may see; five
    queries whatever their number."""
    qs = people_for(user, Person.objects.active().filter(political_status__in=PIPELINE_STATUSES))
    if organization is not None:
        qs = qs.filter(_people_in(Q(path__startswith=organization.path)))
    qs = qs.select_related("organization", "party_organization").prefetch_related(
        Prefetch("status_events", queryset=StatusEvent.objects.order_by("date", "pk")),
        Prefetch("sponsors", queryset=Sponsor.objects.select_related("sponsor")),
        "assessments",
        "recommendations",
    )
    return [
        Dossier(
            p,
            events=p.status_events.all(),
            sponsors=p.sponsors.all(),
            assessments=p.assessments.all(),
            recommendations=list(p.recommendations.all()),
        )
        for p in qs.order_by("pinyin", "pk")
    ]


@dataclass
class BoardColumn:
    status: str
    label: str
    cards: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cards)

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.cards if c["next"] and c["next"].overdue)


def board(user, today: date, *, organization: Organization | None = None) -> list[BoardColumn]:
    """One column per stage; each card is {dossier, person, next} with the most urgent next step."""
    columns = {s: BoardColumn(s, str(PoliticalStatus(s).label)) for s in PIPELINE_STATUSES}
    for d in pipeline_people(user, organization=organization):
        columns[d.person.political_status].cards.append({"dossier": d, "person": d.person, "next": d.next_step(today)})
    order = {"danger": 0, "warning": 1, "info": 2}
    for col in columns.values():
        col.cards.sort(
            key=lambda c: (order[c["next"].severity] if c["next"] else 3, (c["next"] and c["next"].due_on) or date.max)
        )
    return list(columns.values())


DUE_STEPS = {"talk", "contacts", "assessment", "development-target", "approval", "conversion"}


def league_turning(user, year: int, *, organization: Organization | None = None) -> QuerySet:
    """League members (active, not yet left) who turn 28 in `year`, annotated `holds_league_post`."""
    posts = Officer.objects.current().filter(person=OuterRef("pk"), organization__kind__in=LEAGUE_KINDS)
    qs = people_for(
        user,
        Person.objects.active()
        .league_members()
        .filter(birth_date__year=year - LEAGUE_AGE_LIMIT)
        .select_related("organization"),
    ).annotate(holds_league_post=Exists(posts))
    if organization is not None:
        qs = qs.filter(_people_in(Q(path__startswith=organization.path)))
    return qs.order_by("birth_date", "pinyin", "pk")


def due_items(user, today: date) -> list[DueItem]:
    """The members part of the Due list, for the organizations `user` may see: talks due, quarterly
    assessments due this quarter, training contacts missing, activists reaching one year, higher
    approvals due, probations ending within 60 days (or past), League members turning 28 this year.
    Six queries whatever the number of people."""
    items: list[DueItem] = []
    horizon = date.fromordinal(today.toordinal() + DUE_SOON_DAYS)
    for d in pipeline_people(user):
        p = d.person
        for step in d.next_steps(today):
            if step.step not in DUE_STEPS:
                continue
            if step.step in ("development-target", "conversion") and (not step.due_on or step.due_on > horizon):
                continue
            title = _("%(name)s: %(step)s") % {"name": p.name, "step": step.label}
            if step.step == "assessment":
                y, q = quarter_of(step.due_on)
                title = _("%(name)s: assessment for Q%(q)s %(year)s") % {"name": p.name, "q": q, "year": y}
            items.append(
                DueItem(
                    category=step.category,
                    title=title,
                    due_on=step.due_on,
                    url=step.url,
                    organization=str(p.party_org or p.organization),
                    severity=step.severity,
                )
            )
    for p in league_turning(user, today.year):
        if p.holds_league_post:
            continue
        turns = p.turns(LEAGUE_AGE_LIMIT)
        items.append(
            DueItem(
                category=_("Turning 28"),
                title=_("%(name)s turns 28 on %(date)s: leaves the League") % {"name": p.name, "date": turns},
                due_on=turns,
                url=reverse("members:step", args=[p.pk, "league-leave"]),
                organization=str(p.organization),
                severity="warning" if turns <= horizon else "info",
            )
        )
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(items, key=lambda i: (order.get(i.severity, 3), i.due_on or date.max, i.title))


# --- Yearly appraisal sheets ------------------------------------------------------------------------


def appraisal_sheet_people(org: Organization, year: int) -> tuple[list, dict]:
    """Party members (probationary and full, active) of `org`'s subtree, with their `year` ratings."""
    people = list(
        Person.objects.active()
        .party_members()
        .filter(_people_in(Q(path__startswith=org.path)))
        .select_related("organization")
        .order_by("pinyin", "pk")
    )
    ratings = dict(
        PartyAppraisal.objects.filter(year=year, person__in=[p.pk for p in people]).values_list("person_id", "rating")
    )
    return people, ratings


def league_sheet_people(org: Organization, year: int) -> tuple[list, dict]:
    """Current League members (active) of `org`'s subtree, with their `year` League appraisal."""
    people = list(
        Person.objects.active()
        .league_members()
        .filter(organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("organization__path", "pinyin", "pk")
    )
    ratings = dict(
        LeagueRegistration.objects.filter(year=year, person__in=[p.pk for p in people]).values_list(
            "person_id", "rating"
        )
    )
    return people, ratings


# --- 推优 progress ----------------------------------------------------------------------------------


def recommendation_progress(school: Organization, year: int) -> dict:
    """推优 of `year` in `school`, counted as the summary counts it (`members.figures`, on the same rules of
    `members.models.pipeline`): the nominations of the year with what became of them — passed by the members'
    meeting, approved by the League committee, declined, outcomes — against the yearly target. Two queries."""
    recs = Recommendation.objects.in_subtree(school).nominated_in(calendar_year(year)).with_outcomes()
    counts = recs.order_by().aggregate(
        nominated=Count("pk"),
        voted=Count("pk", filter=RECOMMENDATION_PASSED),
        approved=Count("pk", filter=RECOMMENDATION_APPROVED),
        declined=Count("pk", filter=RECOMMENDATION_DECLINED),
        became_activists=Count("pk", filter=Q(became_activist=True)),
        became_targets=Count("pk", filter=Q(became_target=True)),
    )
    target = (
        RecommendationTarget.objects.filter(school=school)
        .for_period(calendar_year(year))
        .values_list("target", flat=True)
        .first()
    )
    return {"year": year, "target": target, **counts}
