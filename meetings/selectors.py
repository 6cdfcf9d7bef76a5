"""Reads of the meetings app. Other apps (members, the Due list) call these; each owns its
select_related/prefetch/annotations so callers never query in a loop. The summary's figures of meetings are
declared in `meetings.figures`, on `Meeting.objects.held()` and the other rules of `meetings.models`."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import periods
from branches.models import LEAGUE_KINDS, PATH_STEP, Officer, Organization, OrgKind
from branches.periods import Period
from branches.permissions import access, scope, viewable_organizations
from core.due import DueItem
from members.models import PARTY_MEMBER_STATUSES, Category, Person, PoliticalStatus
from members.models.people import IN_LEAGUE

from .frequency import CHECKED_ORG_KINDS, frequency_table
from .models import (
    LEAGUE_MEETING_KINDS,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    Vote,
    held_q,
)

# Who a League meeting is about: the League members by their League membership (`Person.objects.
# league_members`), whatever their political status (an applicant or activist in the League is one; a Party
# member who left the League at 28 is not), students and young teachers alike.
LEAGUE_MEMBERS = IN_LEAGUE

COMMITTEE_KINDS = frozenset({MeetingKind.BRANCH_COMMITTEE, MeetingKind.LEAGUE_COMMITTEE})


# --- Attendance -------------------------------------------------------------------------------------


def _current_officer_people(orgs) -> QuerySet:
    ids = (
        Officer.objects.current()
        .filter(organization__in=orgs, person__isnull=False)
        .values_list("person_id", flat=True)
    )
    return Person.objects.filter(pk__in=ids)


def expected_attendees(org: Organization, kind: str) -> QuerySet:
    """The people expected at a meeting of type `kind` of `org` (active people only, by pinyin):

    - branch committee / League branch committee: the organization's current officers' people;
    - Party–League joint meeting: the current officers of the Party organization and of the school's
      Youth League committee (the people who sit at that table);
    - any other Party meeting (general meeting, Party group, Party class, theme Party day, organizational
      life, democratic appraisal): probationary and full Party members whose organization lies in the
      org's subtree (probationary members attend but do not vote);
    - any other League meeting (members' meeting, League class): the League members of the org's subtree
      (`LEAGUE_MEMBERS`: by League membership, whatever the political status; the young teachers of a staff
      League branch too);
    - "other" meetings follow the organization's side (Party members or League members); a school-level
      "other" meeting has no preset list (add the participants as visitors).
    """
    people = Person.objects.active()
    if kind in COMMITTEE_KINDS:
        return _current_officer_people([org]).filter(is_active=True).order_by("pinyin", "pk")
    if kind == MeetingKind.JOINT:
        league_committees = Organization.objects.filter(
            kind=OrgKind.LEAGUE_COMMITTEE, path__startswith=org.path[:PATH_STEP]
        )
        orgs = Organization.objects.filter(Q(pk=org.pk) | Q(pk__in=league_committees))
        return _current_officer_people(orgs).filter(is_active=True).order_by("pinyin", "pk")
    subtree = people.filter(organization__path__startswith=org.path)
    if kind in LEAGUE_MEETING_KINDS or (kind == MeetingKind.OTHER and org.kind in LEAGUE_KINDS):
        return subtree.filter(LEAGUE_MEMBERS).order_by("pinyin", "pk")
    if org.kind == OrgKind.SCHOOL:
        return people.none()
    return subtree.filter(political_status__in=PARTY_MEMBER_STATUSES).order_by("pinyin", "pk")


def visitor_candidates(user, org: Organization) -> QuerySet:
    """Who `user` may add as a visitor (列席) to a meeting of `org`: the people they may view, and the
    school's teachers and staff (superiors and colleagues often attend a branch's meeting). Only names
    and organizations are shown."""
    staff = Q(organization__path__startswith=org.path[:PATH_STEP]) & ~Q(category=Category.STUDENT)
    return Person.objects.active().filter(access(user).org_q() | staff)


def meeting_detail(pk: int) -> Meeting:
    """One meeting with everything its detail and print pages show (fixed number of queries)."""
    attendances = Attendance.objects.select_related("person").order_by("is_visitor", "person__pinyin")
    return (
        Meeting.objects.select_related("organization", "chair", "recorder", "lecturer")
        .prefetch_related(
            Prefetch("attendances", queryset=attendances),
            Prefetch("votes", queryset=Vote.objects.select_related("subject").order_by("pk")),
            "attachments",
        )
        .get(pk=pk)
    )


# --- Lists and calendar ----------------------------------------------------------------------------


def meeting_list(
    user, *, period: Period | None = None, kind: str = "", org: Organization | None = None, text: str = ""
) -> QuerySet:
    """The meetings `user` may view, filtered; organization subtree included when `org` is given."""
    qs = scope(user, Meeting.objects.select_related("organization", "lecturer"))
    if period is not None:
        qs = qs.in_period(period)
    if kind:
        qs = qs.filter(kind=kind)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    text = (text or "").strip()
    if text:
        qs = qs.filter(
            Q(topic__icontains=text)
            | Q(place__icontains=text)
            | Q(lecture_title__icontains=text)
            | Q(lecturer__name__icontains=text)
            | Q(organization__name__icontains=text)
        )
    return qs.order_by("-starts_at", "-pk")


def meeting_totals(meetings: QuerySet) -> dict[str, int]:
    """The totals line of a meeting list: the meetings held (`held_q`: taken place by now) and, named apart,
    the planned ones (starting later), which count nowhere. One query."""
    return meetings.order_by().aggregate(held=Count("pk", filter=held_q()), planned=Count("pk", filter=~held_q()))


def meetings_for_calendar(user, *, start: date, end: date, org: Organization | None = None) -> dict:
    """{date: [meetings]} for the days start..end (inclusive), one query."""
    qs = meeting_list(user, period=periods.custom(start, end), org=org).order_by("starts_at", "pk")
    by_day: dict[date, list[Meeting]] = {}
    for m in qs:
        by_day.setdefault(timezone.localtime(m.starts_at).date(), []).append(m)
    return by_day


def upcoming_for_feed(user, *, now: datetime | None = None) -> QuerySet:
    """Meetings for `user`'s calendar feed: from 30 days ago on (so a phone keeps recent ones too)."""
    now = now or timezone.now()
    qs = scope(user, Meeting.objects.select_related("organization", "chair"))
    return qs.filter(starts_at__gte=now - timedelta(days=30)).order_by("starts_at")[:500]


# --- Votes ------------------------------------------------------------------------------------------


def votes_for_person(person: Person, kind: str | None = None) -> QuerySet:
    """The votes about `person` (newest first), with their meeting: the members pipeline offers these
    when recording an admission, conversion or 推优 step, so the numbers are entered only once."""
    qs = Vote.objects.filter(subject=person).select_related("meeting", "meeting__organization")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-meeting__starts_at", "-pk")


# --- Frequency check and the Due list ---------------------------------------------------------------


def checked_organizations(user, period: Period | None = None) -> QuerySet:
    """Organizations `user` may view that have meeting rules, in tree order: those that existed during
    `period` (dissolved ones included, checked for the units they existed in), or the active ones."""
    orgs = viewable_organizations(user).filter(kind__in=CHECKED_ORG_KINDS)
    orgs = orgs.existing_during(period.start, period.end) if period is not None else orgs.filter(is_active=True)
    return orgs.order_by("path")


def due_items(user, today: date) -> list[DueItem]:
    """Meeting gaps for the Due list: for every organization the user may view, each rule whose current
    unit is still short (warning when it ends within 14 days, else info) or whose previous unit ended
    short (danger). Two queries whatever the number of organizations."""
    if not access(user).has_any_access:
        return []
    orgs = list(checked_organizations(user))
    if not orgs:
        return []
    # From the start of the previous year (covers the previous unit of every rule) to today.
    window = periods.custom(date(today.year - 1, 1, 1), today)
    rows = frequency_table(orgs=orgs, period=window, today=today)
    items: list[DueItem] = []
    create_url = reverse("meetings:create")
    for row in rows:
        latest: dict[str, list] = {}
        for check in row.checks:
            if check.state in ("met", "missed", "open"):
                latest.setdefault(check.rule.code, []).append(check)
        for checks in latest.values():
            current = checks[-1]
            previous = checks[-2] if len(checks) > 1 else None
            if previous is not None and previous.state == "missed" and current.state != "met":
                items.append(_due_item(row.org, previous, "danger", create_url))
            if current.state == "open":
                severity = "warning" if (current.unit.end - today).days < 14 else "info"
                items.append(_due_item(row.org, current, severity, create_url))
    return items


def _due_item(org, check, severity: str, create_url: str) -> DueItem:
    title = _("%(org)s: %(rule)s for %(unit)s (%(held)s of %(required)s held)") % {
        "org": org.short_name or org.name,
        "rule": check.rule.label,
        "unit": check.unit.label,
        "held": check.held,
        "required": check.rule.minimum,
    }
    if check.missing_phases and check.held >= check.rule.minimum:
        title = _("%(org)s: %(rule)s for %(unit)s lacks the %(phases)s") % {
            "org": org.short_name or org.name,
            "rule": check.rule.label,
            "unit": check.unit.label,
            "phases": "、".join(str(p) for p in check.missing_phase_labels()),
        }
    return DueItem(
        category=_("Meeting due"),
        title=title,
        due_on=check.unit.end,
        url=f"{create_url}?org={org.pk}&kind={check.rule.kind}",
        organization=org.name,
        severity=severity,
    )


def meeting_delete_blockers(meeting: Meeting) -> str:
    """Why `meeting` cannot be deleted (records elsewhere that rely on it or on its votes), or ""."""
    from django.db import router
    from django.db.models.deletion import Collector, ProtectedError

    collector = Collector(using=router.db_for_write(Meeting))
    try:
        collector.collect([meeting])
    except ProtectedError as exc:
        names = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        return _("Records rely on this meeting or its votes (%(what)s): change them first.") % {
            "what": "、".join(names)
        }
    return ""


def vote_defaults(meeting: Meeting) -> dict[str, int]:
    """Initial numbers for a new vote, from the recorded attendance (uses the prefetched attendances of
    `meeting_detail`). At a branch general meeting only full members vote (probationary members don't)."""
    rows = [a for a in meeting.attendances.all() if not a.is_visitor]
    if meeting.kind == MeetingKind.BRANCH_GENERAL:
        rows = [a for a in rows if a.person.political_status == PoliticalStatus.FULL_MEMBER]
    if not rows:
        return {}
    present = sum(1 for a in rows if a.status == AttendanceStatus.PRESENT)
    return {"entitled": len(rows), "present": present, "yes": present, "no": 0, "abstain": 0}
