"""Writes of the members app. Every pipeline step is one service: it checks the rules of DESIGN §2 (via
`members.pipeline.Dossier`), records a `StatusEvent`, and — the only code that does — keeps
`Person.political_status` / `status_since` in step. Each runs in one transaction: a refused step
leaves nothing behind.

Rules refused raise `ValidationError` with a dict keyed by the step form's field names, and a message
that names the rule and the date that would work.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from branches.models import LEAGUE_KINDS, PARTY_KINDS, Officer, Organization, OrgKind

from .dates import add_months, add_years
from .decisions import decision_provider
from .models import (
    REGISTERABLE_RATINGS,
    STATUS_AFTER,
    AppraisalRating,
    Assessment,
    EventKind,
    LeagueLeaving,
    LeagueRegistration,
    Membership,
    MembershipEnd,
    MembershipStart,
    PartyAppraisal,
    Person,
    PoliticalStatus,
    Recommendation,
    RecommendationStatus,
    RecommendationTarget,
    Sponsor,
    SponsorRole,
    StatusEvent,
    TargetYear,
)
from .pipeline import (
    CONTACTS_REQUIRED,
    EXTENSION_MAX_MONTHS,
    EXTENSION_MIN_MONTHS,
    INTRODUCERS_REQUIRED,
    LEAGUE_AGE_LIMIT,
    MIN_APPLICATION_AGE,
    RECOMMENDATION_MIN_APPLICATION_MONTHS,
    RECOMMENDATION_MIN_LEAGUE_YEARS,
    TRAINING_MIN_HOURS,
    Dossier,
)

LEAGUE_MIN_AGE = 14

_as_of: ContextVar[date | None] = ContextVar("members_as_of", default=None)


@contextmanager
def as_of(day: date):
    """Treat `day` as today for the "no future dates" rule (demo data built for a pretended date)."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def _today() -> date:
    return _as_of.get() or timezone.localdate()


def _d(day: date | None) -> str:
    return day.isoformat() if day else "—"


def _fail(field: str, message: str, code: str):
    raise ValidationError({field: [ValidationError(message, code=code)]})


def _lock(person: Person) -> Person:
    """Reload the person under a row lock so two steps for one person cannot interleave."""
    return (
        Person.objects.select_for_update(of=("self",))
        .select_related("organization", "party_organization")
        .get(pk=person.pk)
    )


def _dossier(person: Person) -> Dossier:
    return Dossier(
        person,
        events=list(person.status_events.all()),
        sponsors=list(person.sponsors.all()),
        assessments=list(person.assessments.all()),
        recommendations=list(person.recommendations.all()),
    )


def _check_date(on: date, *, not_before: date | None = None, after_what: str = "", field: str = "date"):
    today = _today()
    if on > today:
        _fail(
            field,
            _("%(date)s is in the future: record a step once it has happened (today is %(today)s).")
            % {"date": _d(on), "today": _d(today)},
            "future_date",
        )
    if not_before and on < not_before:
        _fail(
            field,
            _("This step cannot come before %(what)s on %(before)s: choose %(before)s or later.")
            % {"what": after_what, "before": _d(not_before)},
            "wrong_order",
        )


def _check_order(d: Dossier, on: date, field: str = "date"):
    last = d.last_event
    if last:
        _check_date(on, not_before=last.date, after_what=f"“{last.get_kind_display()}”", field=field)
    else:
        _check_date(on, field=field)


def _check_status(person: Person, allowed, step: str):
    if person.political_status not in allowed:
        wanted = ", ".join(str(PoliticalStatus(s).label) for s in allowed)
        _fail(
            "__all__",
            _("%(step)s is for a person whose status is %(wanted)s; %(name)s is %(status)s.")
            % {"step": step, "wanted": wanted, "name": person.name, "status": person.get_political_status_display()},
            "wrong_status",
        )


def _check_org(org: Organization | None, kinds, field: str = "organization"):
    if org is None or org.kind not in kinds:
        _fail(field, _("Choose the organization that decided this step."), "bad_organization")


def _record(person: Person, kind: str, on: date, *, by=None, status: str | None = None, **fields) -> StatusEvent:
    """Write one event and, when it changes the status, the person's denormalized status."""
    status = status or STATUS_AFTER.get(kind, "")
    event = StatusEvent.objects.create(person=person, kind=kind, date=on, status=status, recorded_by=by, **fields)
    if status:
        person.political_status = status
        person.status_since = on
        person.version += 1
        person.save(update_fields=["political_status", "status_since", "version", "updated_at"])
    return event


def _check_full_members(people, person: Person, field: str, needed: int, role_label: str):
    people = list(people or [])
    if len({p.pk for p in people}) != needed or len(people) != needed:
        _fail(field, _("Choose %(n)s different people as %(role)s.") % {"n": needed, "role": role_label}, "count")
    for p in people:
        if p.pk == person.pk:
            _fail(field, _("A person cannot be their own %(role)s.") % {"role": role_label}, "self")
        if p.political_status != PoliticalStatus.FULL_MEMBER or not p.is_active:
            _fail(
                field,
                _("%(name)s is not a full Party member: %(role)s must be full members.")
                % {"name": p.name, "role": role_label},
                "not_full_member",
            )


def _end_sponsors(on: date, **filters):
    # One save per row (a handful) so that the audit trail records each end.
    for row in Sponsor.objects.filter(ended_on__isnull=True, **filters):
        row.ended_on = max(on, row.assigned_on)
        row.version += 1
        row.save()


def _assign(person: Person, people, role: str, on: date):
    _end_sponsors(on, person=person, role=role)
    for p in people:
        Sponsor.objects.create(person=person, sponsor=p, role=role, assigned_on=on)


def _vote_problem(vote, *, person: Person, step: str) -> str | None:
    """Why `vote` (a `meetings.Vote`) cannot decide `step` about `person`, or None: not that step's vote, or
    it did not pass. Votes and their rule are the meetings app's: it answers (`members.decisions`)."""
    decisions = decision_provider()
    return decisions.vote_problem(vote, person=person, step=step) or decisions.result_problem(vote)


def vote_day(vote) -> date:
    """The date of a step decided by `vote`: the day of its meeting."""
    return decision_provider().vote_day(vote)


# --- Person, memberships, transfers -----------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    form,
    by=None,
    joined_on: date,
    start_reason: str = MembershipStart.JOINED,
    counterpart: str = "",
    history: dict | None = None,
) -> Person:
    """Create a person from a `PersonForm`, open their first membership, and record the status they
    bring with them (`history`: league_joined_on, party_admitted_on, party_full_on) from their file."""
    person = form.save()
    Membership.objects.create(
        person=person,
        organization=person.organization,
        started_on=joined_on,
        start_reason=start_reason,
        counterpart=counterpart,
    )
    if history:
        status_record_from_file(person=person, arrival=joined_on, by=by, **history)
    return person


@transaction.atomic
def person_update(*, form, by=None, moved_on: date | None = None) -> Person:
    """Save a `PersonForm` on an existing person; a change of organization closes the old membership
    and opens a new one (moved within the school) on `moved_on` (today by default)."""
    old_org_id = Person.objects.filter(pk=form.instance.pk).values_list("organization_id", flat=True).first()
    person = form.save()
    if old_org_id != person.organization_id:
        membership_move(person=person, organization=person.organization, on=moved_on or timezone.localdate())
    return person


def membership_move(*, person: Person, organization: Organization, on: date) -> Membership:
    current = Membership.objects.filter(person=person, ended_on__isnull=True).first()
    if current:
        current.ended_on = max(on, current.started_on)
        current.end_reason = MembershipEnd.MOVED
        current.save()
    return Membership.objects.create(
        person=person, organization=organization, started_on=on, start_reason=MembershipStart.MOVED
    )


@transaction.atomic
def person_transfer_out(
    *,
    person: Person,
    on: date,
    reason: str = MembershipEnd.TRANSFER_OUT,
    counterpart: str = "",
    notes: str = "",
    by=None,
) -> Person:
    """组织关系转出 / graduation: close the open membership (kept as history) and mark the person
    inactive. Training contacts and introducers they held end on the same day."""
    person = _lock(person)
    if not person.is_active:
        _fail("__all__", _("%(name)s has already left.") % {"name": person.name}, "inactive")
    current = Membership.objects.filter(person=person, ended_on__isnull=True).first()
    _check_date(on, not_before=current.started_on if current else None, after_what=_("the membership's start"))
    if current:
        current.ended_on = on
        current.end_reason = reason
        current.counterpart = counterpart
        current.notes = notes
        current.save()
    _end_sponsors(on, sponsor=person)
    person.is_active = False
    person.version += 1
    person.save(update_fields=["is_active", "version", "updated_at"])
    return person


@transaction.atomic
def person_transfer_in(
    *, person: Person, organization: Organization, on: date, counterpart: str = "", by=None
) -> Person:
    """组织关系转入 of someone who left earlier: a new membership, active again. History stays."""
    person = _lock(person)
    if person.is_active:
        _fail("__all__", _("%(name)s is already a member here.") % {"name": person.name}, "active")
    last_end = Membership.objects.filter(person=person).order_by("-ended_on").values_list("ended_on", flat=True)
    last_end = last_end.first()
    _check_date(on, not_before=last_end, after_what=_("the previous membership's end"))
    Membership.objects.create(
        person=person,
        organization=organization,
        started_on=on,
        start_reason=MembershipStart.TRANSFER_IN,
        counterpart=counterpart,
    )
    person.organization = organization
    person.is_active = True
    person.version += 1
    person.save(update_fields=["organization", "is_active", "version", "updated_at"])
    return person


def status_record_from_file(
    *,
    person: Person,
    arrival: date,
    by=None,
    league_joined_on: date | None = None,
    league_number: str = "",
    party_admitted_on: date | None = None,
    party_full_on: date | None = None,
) -> None:
    """Record the status a person brings from their file (before they came to the school): joined the
    League, admitted to the Party (入党), became a full member (转正). These earlier steps need no
    meeting here; every later one goes through the step forms."""
    dates = [("league", league_joined_on), ("admitted", party_admitted_on), ("full", party_full_on)]
    for _key, day in dates:
        if day and day > arrival:
            _fail(
                "__all__",
                _("Steps from the personnel file must date from before the arrival on %(date)s.")
                % {"date": _d(arrival)},
                "file_after_arrival",
            )
    if party_full_on and not party_admitted_on:
        _fail("party_admitted_on", _("Give the date of admission too."), "admission_missing")
    if party_full_on and party_full_on < add_years(party_admitted_on, 1):
        _fail(
            "party_full_on",
            _("Full membership comes after one year of probation: from %(date)s.")
            % {"date": _d(add_years(party_admitted_on, 1))},
            "probation_too_short",
        )
    if league_joined_on:
        person.league_joined_on = league_joined_on
        person.league_number = league_number or person.league_number
        person.save(update_fields=["league_joined_on", "league_number", "updated_at"])
        _record(
            person,
            EventKind.LEAGUE_JOINED,
            league_joined_on,
            by=by,
            from_file=True,
            status=PoliticalStatus.LEAGUE_MEMBER if not party_admitted_on else None,
        )
    if party_admitted_on:
        _record(person, EventKind.ADMISSION, party_admitted_on, by=by, from_file=True)
    if party_full_on:
        _record(person, EventKind.CONVERSION, party_full_on, by=by, from_file=True)


# --- Party pipeline ---------------------------------------------------------------------------------


@transaction.atomic
def application_record(
    *, person: Person, on: date, organization: Organization, by=None, notes: str = "", document=None
) -> StatusEvent:
    """入党申请: the applicant must be 18 on the day (see `Person.age_on` for birthdays and 29 February).
    A student's application puts them under the deciding Party organization (their pipeline branch)."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.MASSES, PoliticalStatus.LEAGUE_MEMBER), _("A Party application"))
    _check_org(organization, PARTY_KINDS)
    if not person.birth_date:
        _fail("date", _("Record the birth date first: the age rule needs it."), "no_birth_date")
    if person.age_on(on) < MIN_APPLICATION_AGE:
        turns = person.turns(MIN_APPLICATION_AGE)
        _fail(
            "date",
            _(
                "An applicant must be 18 on the day of application. %(name)s turns 18 on %(date)s: an "
                "application dated %(date)s or later can be accepted."
            )
            % {"name": person.name, "date": _d(turns)},
            "under_18",
        )
    last = person.status_events.order_by("-date", "-pk").first()
    if last:
        _check_date(on, not_before=last.date, after_what=f"“{last.get_kind_display()}”")
    else:
        _check_date(on)
    if person.party_org is None:
        person.party_organization = organization
        person.save(update_fields=["party_organization", "updated_at"])
    return _record(
        person, EventKind.APPLICATION, on, by=by, organization=organization, notes=notes, document=document or ""
    )


@transaction.atomic
def talk_record(*, person: Person, on: date, organization: Organization, by=None, notes: str = "") -> StatusEvent:
    """The branch talks with the applicant within one month of the application (a late talk is
    recorded too; the Due list shows it as overdue until then)."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.APPLICANT,), _("The talk"))
    _check_org(organization, PARTY_KINDS)
    d = _dossier(person)
    if d.talk_on:
        _fail("__all__", _("The talk was already recorded on %(date)s.") % {"date": _d(d.talk_on)}, "duplicate")
    _check_date(on, not_before=d.application_on, after_what=_("the application"))
    return _record(person, EventKind.TALK, on, by=by, organization=organization, notes=notes)


def _check_recommendation(rec: Recommendation | None, person: Person, d: Dossier, on: date):
    if rec is None:
        return
    if rec.person_id != person.pk or rec.status != RecommendationStatus.APPROVED:
        _fail("recommendation", _("Choose an approved 推优 recommendation of this person."), "bad_recommendation")
    if rec.pk not in {r.pk for r in d.usable_recommendations()}:
        _fail("recommendation", _("This 推优 recommendation has already led to a decision."), "used_recommendation")
    if rec.decided_on and on < rec.decided_on:
        _fail(
            "date",
            _("The League committee approved the 推优 recommendation on %(date)s: choose %(date)s or later.")
            % {"date": _d(rec.decided_on)},
            "before_recommendation",
        )


@transaction.atomic
def activist_record(
    *,
    person: Person,
    on: date,
    organization: Organization,
    contacts,
    recommendation: Recommendation | None = None,
    meeting=None,
    by=None,
    notes: str = "",
    document=None,
) -> StatusEvent:
    """入党积极分子: chosen by Party members' recommendation or through a League 推优 record; the branch
    assigns two training contacts (full members) the same day."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.APPLICANT,), _("Choosing an activist"))
    _check_org(organization, PARTY_KINDS)
    d = _dossier(person)
    _check_order(d, on)
    _check_recommendation(recommendation, person, d, on)
    _check_full_members(contacts, person, "contacts", CONTACTS_REQUIRED, _("training contacts"))
    event = _record(
        person,
        EventKind.ACTIVIST,
        on,
        by=by,
        organization=organization,
        recommendation=recommendation,
        meeting=meeting,
        notes=notes,
        document=document or "",
    )
    _assign(person, contacts, SponsorRole.CONTACT, on)
    return event


@transaction.atomic
def contacts_replace(*, person: Person, on: date, contacts, by=None) -> None:
    """A new pair of training contacts (one left, say); the old assignments end on `on`."""
    person = _lock(person)
    _check_status(
        person, (PoliticalStatus.ACTIVIST, PoliticalStatus.DEVELOPMENT_TARGET), _("Assigning training contacts")
    )
    d = _dossier(person)
    _check_date(on, not_before=d.activist_on, after_what=_("the activist decision"))
    _check_full_members(contacts, person, "contacts", CONTACTS_REQUIRED, _("training contacts"))
    _assign(person, contacts, SponsorRole.CONTACT, on)


@transaction.atomic
def assessment_record(
    *, person: Person, on: date, contact: Person, rating: str, thought_report: bool, comments: str = "", by=None
) -> Assessment:
    """A quarterly assessment by one of the person's training contacts (the school's rule: every
    quarter while activist or development target)."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.ACTIVIST, PoliticalStatus.DEVELOPMENT_TARGET), _("A quarterly assessment"))
    d = _dossier(person)
    _check_date(on, not_before=d.activist_on, after_what=_("the activist decision"))
    if contact.pk not in {s.sponsor_id for s in d.sponsors if s.role == SponsorRole.CONTACT}:
        _fail("contact", _("Choose one of the person's training contacts."), "not_contact")
    return Assessment.objects.create(
        person=person,
        contact=contact,
        date=on,
        rating=rating,
        thought_report=thought_report,
        comments=comments,
        recorded_by=by,
    )


@transaction.atomic
def development_target_record(
    *,
    person: Person,
    on: date,
    organization: Organization,
    introducers,
    recommendation: Recommendation | None = None,
    meeting=None,
    by=None,
    notes: str = "",
    document=None,
) -> StatusEvent:
    """发展对象: only after one full year as activist (the anniversary is the first possible day), with
    two introducers (full members). A League member under 28 must have come through 推优 — at the
    activist decision or now."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.ACTIVIST,), _("Choosing a development target"))
    _check_org(organization, PARTY_KINDS)
    d = _dossier(person)
    _check_order(d, on)
    if on < d.target_possible_on:
        _fail(
            "date",
            _(
                "A development target needs one full year as activist. %(name)s has been an activist since "
                "%(since)s, so the earliest date is %(date)s."
            )
            % {"name": person.name, "since": _d(d.activist_on), "date": _d(d.target_possible_on)},
            "one_year",
        )
    _check_recommendation(recommendation, person, d, on)
    if recommendation is None and d.needs_recommendation(on) and not d.came_through_recommendation:
        _fail(
            "recommendation",
            _(
                "%(name)s is a League member under 28 and comes to the Party through 推优: choose the League's "
                "approved recommendation (record it under 推优 first)."
            )
            % {"name": person.name},
            "needs_recommendation",
        )
    _check_full_members(introducers, person, "introducers", INTRODUCERS_REQUIRED, _("introducers"))
    event = _record(
        person,
        EventKind.DEVELOPMENT_TARGET,
        on,
        by=by,
        organization=organization,
        recommendation=recommendation,
        meeting=meeting,
        notes=notes,
        document=document or "",
    )
    _assign(person, introducers, SponsorRole.INTRODUCER, on)
    return event


@transaction.atomic
def political_review_record(
    *, person: Person, on: date, organization: Organization, by=None, notes: str = "", document=None
) -> StatusEvent:
    person = _lock(person)
    _check_status(person, (PoliticalStatus.DEVELOPMENT_TARGET,), _("The political review"))
    _check_org(organization, PARTY_KINDS)
    d = _dossier(person)
    _check_date(on, not_before=d.target_on, after_what=_("the development target decision"))
    return _record(
        person, EventKind.POLITICAL_REVIEW, on, by=by, organization=organization, notes=notes, document=document or ""
    )


@transaction.atomic
def training_record(
    *, person: Person, on: date, hours: Decimal, organization: Organization, by=None, notes: str = ""
) -> StatusEvent:
    """Short training of a development target; the hours add up (at least 24 before admission)."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.DEVELOPMENT_TARGET,), _("Training"))
    _check_org(organization, PARTY_KINDS)
    if hours is None or hours <= 0:
        _fail("hours", _("Enter the hours of training."), "hours")
    d = _dossier(person)
    _check_date(on, not_before=d.target_on, after_what=_("the development target decision"))
    return _record(person, EventKind.TRAINING, on, by=by, organization=organization, hours=hours, notes=notes)


@transaction.atomic
def admission_record(*, person: Person, vote, by=None, notes: str = "", document=None) -> StatusEvent:
    """预备党员: the branch general meeting's vote (a `meetings.Vote`, entered on the meeting) decides; the
    step's date is the meeting's date, from which the year of probation counts."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.DEVELOPMENT_TARGET,), _("Admission"))
    problem = _vote_problem(vote, person=person, step="admission")
    if problem:
        _fail("vote", problem, "vote")
    d = _dossier(person)
    on = vote_day(vote)
    _check_order(d, on, field="vote")
    missing = []
    if not d.political_review_on:
        missing.append(_("the political review"))
    if d.training_hours < TRAINING_MIN_HOURS:
        missing.append(
            _("training of %(need)s hours (%(done)s recorded)") % {"need": TRAINING_MIN_HOURS, "done": d.training_hours}
        )
    if len(d.introducers) < INTRODUCERS_REQUIRED:
        missing.append(_("two introducers"))
    if missing:
        _fail(
            "__all__",
            _("Before admission the file needs %(missing)s.") % {"missing": ", ".join(str(m) for m in missing)},
            "incomplete",
        )
    return _record(
        person,
        EventKind.ADMISSION,
        on,
        by=by,
        organization=vote.meeting.organization,
        meeting=vote.meeting,
        vote=vote,
        notes=notes,
        document=document or "",
    )


@transaction.atomic
def higher_approval_record(
    *, person: Person, on: date, organization: Organization, by=None, notes: str = "", document=None
) -> StatusEvent:
    """The higher Party committee talks with the new member and approves (rule: within 3 months)."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.PROBATIONARY,), _("The higher committee's approval"))
    _check_org(organization, PARTY_KINDS | {OrgKind.SCHOOL})
    d = _dossier(person)
    if d.approved_on:
        _fail("__all__", _("The approval was already recorded on %(date)s.") % {"date": _d(d.approved_on)}, "duplicate")
    _check_date(on, not_before=d.admitted_on, after_what=_("the admission meeting"))
    return _record(
        person, EventKind.HIGHER_APPROVAL, on, by=by, organization=organization, notes=notes, document=document or ""
    )


@transaction.atomic
def oath_record(*, person: Person, on: date, organization: Organization, by=None, notes: str = "") -> StatusEvent:
    person = _lock(person)
    _check_status(person, (PoliticalStatus.PROBATIONARY,), _("The oath"))
    _check_org(organization, PARTY_KINDS | {OrgKind.SCHOOL})
    d = _dossier(person)
    if not d.approved_on:
        _fail("date", _("The oath follows the higher committee's approval, which is not recorded yet."), "no_approval")
    if d.oath_on:
        _fail("__all__", _("The oath was already recorded on %(date)s.") % {"date": _d(d.oath_on)}, "duplicate")
    _check_date(on, not_before=d.approved_on, after_what=_("the higher committee's approval"))
    return _record(person, EventKind.OATH, on, by=by, organization=organization, notes=notes)


@transaction.atomic
def extension_record(
    *, person: Person, on: date, months: int, organization: Organization, meeting=None, by=None, notes: str = ""
) -> StatusEvent:
    """Probation extended once, by 6 to 12 months."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.PROBATIONARY,), _("Extending the probation"))
    _check_org(organization, PARTY_KINDS)
    d = _dossier(person)
    if d.extended:
        first = d.all_of(EventKind.EXTENSION)[0]
        _fail(
            "__all__",
            _("Probation can be extended only once; it was extended on %(date)s.") % {"date": _d(first.date)},
            "extended_twice",
        )
    if months is None or not EXTENSION_MIN_MONTHS <= months <= EXTENSION_MAX_MONTHS:
        _fail("months", _("An extension is 6 to 12 months."), "extension_months")
    _check_date(on, not_before=d.admitted_on, after_what=_("the admission meeting"))
    return _record(
        person, EventKind.EXTENSION, on, by=by, organization=organization, months=months, meeting=meeting, notes=notes
    )


@transaction.atomic
def conversion_record(*, person: Person, vote, by=None, notes: str = "", document=None) -> StatusEvent:
    """转正: after the year of probation (plus any extension), counted from the admission meeting, by a
    vote of the branch general meeting."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.PROBATIONARY,), _("Conversion to full member"))
    problem = _vote_problem(vote, person=person, step="conversion")
    if problem:
        _fail("vote", problem, "vote")
    d = _dossier(person)
    on = vote_day(vote)
    _check_order(d, on, field="vote")
    if on < d.probation_ends_on:
        _fail(
            "vote",
            _(
                "Full membership only after the probation: %(name)s was admitted on %(admitted)s, so the "
                "conversion meeting can be held from %(date)s."
            )
            % {"name": person.name, "admitted": _d(d.admitted_on), "date": _d(d.probation_ends_on)},
            "probation",
        )
    if not d.approved_on:
        _fail("vote", _("The higher committee's approval of the admission is not recorded yet."), "no_approval")
    event = _record(
        person,
        EventKind.CONVERSION,
        on,
        by=by,
        organization=vote.meeting.organization,
        meeting=vote.meeting,
        vote=vote,
        notes=notes,
        document=document or "",
    )
    _end_sponsors(on, person=person)
    return event


@transaction.atomic
def cancellation_record(
    *, person: Person, on: date, organization: Organization, meeting=None, by=None, notes: str = "", document=None
) -> StatusEvent:
    """取消预备党员资格: the person returns to the status they had outside the Party."""
    person = _lock(person)
    _check_status(person, (PoliticalStatus.PROBATIONARY,), _("Cancelling the probationary membership"))
    _check_org(organization, PARTY_KINDS)
    d = _dossier(person)
    _check_order(d, on)
    back = PoliticalStatus.LEAGUE_MEMBER if person.is_league_member else PoliticalStatus.MASSES
    event = _record(
        person,
        EventKind.CANCELLATION,
        on,
        by=by,
        status=back,
        organization=organization,
        meeting=meeting,
        notes=notes,
        document=document or "",
    )
    _end_sponsors(on, person=person)
    return event


# --- Corrections ------------------------------------------------------------------------------------


def _derive(person: Person) -> None:
    """Status and League membership again from the remaining history (after a withdrawal)."""
    events = list(person.status_events.order_by("date", "pk"))
    joined = left = None
    for e in events:
        if e.kind == EventKind.LEAGUE_JOINED:
            joined, left = e.date, None
        elif e.kind == EventKind.LEAGUE_LEFT:
            left = e.date
    person.league_joined_on, person.league_left_on = joined, left
    with_status = [e for e in events if e.status]
    if with_status:
        person.political_status, person.status_since = with_status[-1].status, with_status[-1].date
    else:
        person.political_status = PoliticalStatus.LEAGUE_MEMBER if person.is_league_member else PoliticalStatus.MASSES
        person.status_since = joined if person.is_league_member else None
    person.version += 1
    person.save(
        update_fields=[
            "political_status",
            "status_since",
            "league_joined_on",
            "league_left_on",
            "version",
            "updated_at",
        ]
    )


@transaction.atomic
def status_event_withdraw(*, event: StatusEvent, by=None) -> Person:
    """Withdraw the latest recorded step, entered by mistake: the event goes (the audit trail keeps
    it), what it set up is undone (contacts or introducers assigned with it, contacts it ended, the vote
    or 推优 it used becomes free again), and the status is derived again from the remaining history.
    Only the latest step can be withdrawn, so the history never becomes inconsistent."""
    person = _lock(event.person)
    latest = person.status_events.order_by("-date", "-pk").first()
    if latest is None or latest.pk != event.pk:
        _fail(
            "__all__",
            _("Only the latest step can be withdrawn: withdraw “%(step)s” of %(date)s first.")
            % {"step": latest.get_kind_display(), "date": _d(latest.date)},
            "not_latest",
        )
    if event.from_file:
        _fail("__all__", _("Steps from the personnel file are corrected by an administrator."), "from_file")
    role = {EventKind.ACTIVIST: SponsorRole.CONTACT, EventKind.DEVELOPMENT_TARGET: SponsorRole.INTRODUCER}.get(
        event.kind
    )
    if role:
        for row in Sponsor.objects.filter(person=person, role=role, assigned_on=event.date, ended_on__isnull=True):
            row.delete()
    if event.kind in (EventKind.CONVERSION, EventKind.CANCELLATION):
        for row in Sponsor.objects.filter(person=person, ended_on=event.date):
            row.ended_on = None
            row.version += 1
            row.save()
    event.delete()
    _derive(person)
    return person


@transaction.atomic
def assessment_delete(*, assessment: Assessment, by=None) -> None:
    """Remove an assessment entered by mistake (the audit trail keeps it)."""
    assessment.delete()


# --- League -----------------------------------------------------------------------------------------


def league_post(person: Person, on: date):
    """A current League post (the exception to leaving at 28), or None."""
    return (
        Officer.objects.current(on)
        .filter(person=person, organization__kind__in=LEAGUE_KINDS)
        .select_related("organization")
        .first()
    )


@transaction.atomic
def league_join(
    *, person: Person, on: date, organization: Organization, number: str = "", by=None, notes: str = ""
) -> StatusEvent:
    """入团: ages 14 to 28."""
    person = _lock(person)
    _check_org(organization, LEAGUE_KINDS)
    if person.is_league_member:
        _fail(
            "__all__",
            _("%(name)s has been a League member since %(date)s.")
            % {"name": person.name, "date": _d(person.league_joined_on)},
            "already_member",
        )
    age = person.age_on(on)
    if age is None:
        _fail("date", _("Record the birth date first: the age rule needs it."), "no_birth_date")
    if age < LEAGUE_MIN_AGE:
        _fail(
            "date",
            _("League members are at least 14: %(name)s turns 14 on %(date)s.")
            % {"name": person.name, "date": _d(person.turns(LEAGUE_MIN_AGE))},
            "under_14",
        )
    if age >= LEAGUE_AGE_LIMIT:
        _fail(
            "date",
            _("League members are under 28: %(name)s turned 28 on %(date)s.")
            % {"name": person.name, "date": _d(person.turns(LEAGUE_AGE_LIMIT))},
            "over_28",
        )
    _check_date(on, not_before=person.league_left_on, after_what=_("leaving the League"))
    person.league_joined_on = on
    person.league_left_on = None
    if number:
        person.league_number = number
    person.save(update_fields=["league_joined_on", "league_left_on", "league_number", "updated_at"])
    status = PoliticalStatus.LEAGUE_MEMBER if person.political_status == PoliticalStatus.MASSES else None
    return _record(person, EventKind.LEAGUE_JOINED, on, by=by, status=status, organization=organization, notes=notes)


@transaction.atomic
def league_leave(
    *, person: Person, on: date, organization: Organization, over_age: bool = True, by=None, notes: str = ""
) -> StatusEvent:
    """超龄离团 at 28 — unless the person holds a League post, who keeps membership while in post.
    (`over_age=False` records another way of leaving, explained in the notes.)"""
    person = _lock(person)
    _check_org(organization, LEAGUE_KINDS)
    if not person.is_league_member:
        _fail("__all__", _("%(name)s is not a League member.") % {"name": person.name}, "not_member")
    _check_date(on, not_before=person.league_joined_on, after_what=_("joining the League"))
    if over_age:
        turns = person.turns(LEAGUE_AGE_LIMIT)
        if turns is None or on < turns:
            _fail(
                "date",
                _("Leaving for age is at 28: %(name)s turns 28 on %(date)s.")
                % {"name": person.name, "date": _d(turns)},
                "not_28",
            )
        post = league_post(person, on)
        if post:
            _fail(
                "__all__",
                _("%(name)s holds a League post (%(post)s, %(org)s) and keeps League membership while in post.")
                % {"name": person.name, "post": post.get_post_display(), "org": post.organization},
                "holds_post",
            )
    elif not notes:
        _fail("notes", _("Say why the person leaves the League."), "reason")
    person.league_left_on = on
    person.save(update_fields=["league_left_on", "updated_at"])
    status = PoliticalStatus.MASSES if person.political_status == PoliticalStatus.LEAGUE_MEMBER else None
    reason = LeagueLeaving.OVER_AGE if over_age else LeagueLeaving.OTHER
    return _record(
        person,
        EventKind.LEAGUE_LEFT,
        on,
        by=by,
        status=status,
        organization=organization,
        notes=notes,
        leaving_reason=reason,
    )


# --- 推优 -------------------------------------------------------------------------------------------


@transaction.atomic
def recommendation_nominate(
    *, person: Person, on: date, league_branch: Organization, by=None, notes: str = ""
) -> Recommendation:
    """The League branch committee nominates a League member who has applied to join the Party (school
    rules: League member for a year, application at least six months old)."""
    person = _lock(person)
    _check_org(league_branch, LEAGUE_KINDS, field="league_branch")
    if not person.is_league_member:
        _fail("__all__", _("推优 is for League members; %(name)s is not one.") % {"name": person.name}, "not_member")
    d = _dossier(person)
    if person.political_status != PoliticalStatus.APPLICANT or not d.application_on:
        _fail(
            "__all__",
            _("推优 comes after a Party application: record %(name)s's application first.") % {"name": person.name},
            "no_application",
        )
    _check_date(on)
    earliest = max(
        add_years(person.league_joined_on, RECOMMENDATION_MIN_LEAGUE_YEARS),
        add_months(d.application_on, RECOMMENDATION_MIN_APPLICATION_MONTHS),
    )
    if on < earliest:
        _fail(
            "date",
            _(
                "推优 needs one year of League membership (since %(joined)s) and an application at least six "
                "months old (of %(applied)s): the earliest date is %(date)s."
            )
            % {"joined": _d(person.league_joined_on), "applied": _d(d.application_on), "date": _d(earliest)},
            "too_early",
        )
    open_rec = person.recommendations.filter(
        status__in=[RecommendationStatus.NOMINATED, RecommendationStatus.VOTED]
    ).first()
    if open_rec:
        _fail(
            "__all__",
            _("A nomination of %(date)s is still in progress.") % {"date": _d(open_rec.nominated_on)},
            "open_nomination",
        )
    if d.usable_recommendations():
        _fail("__all__", _("An approved 推优 recommendation is waiting for the Party's decision."), "unused")
    return Recommendation.objects.create(person=person, league_branch=league_branch, nominated_on=on, notes=notes)


@transaction.atomic
def recommendation_vote(*, recommendation: Recommendation, vote, by=None) -> Recommendation:
    """Link the League members' meeting vote (a `meetings.Vote`, entered on the meeting). A vote that failed
    closes the nomination as not recommended."""
    rec = Recommendation.objects.select_for_update(of=("self",)).select_related("person").get(pk=recommendation.pk)
    if rec.status != RecommendationStatus.NOMINATED:
        _fail("__all__", _("This nomination already has its vote."), "voted")
    decisions = decision_provider()
    problem = decisions.vote_problem(vote, person=rec.person, step="recommendation")
    if problem:
        _fail("vote", problem, "vote")
    passed = decisions.result_problem(vote) is None
    _check_date(vote_day(vote), not_before=rec.nominated_on, after_what=_("the nomination"), field="vote")
    rec.vote = vote
    rec.status = RecommendationStatus.VOTED if passed else RecommendationStatus.DECLINED
    rec.save()
    return rec


@transaction.atomic
def recommendation_decide(
    *, recommendation: Recommendation, on: date, committee: Organization, approved: bool, by=None, notes: str = ""
) -> Recommendation:
    """The League committee signs the recommendation (or declines it)."""
    rec = (
        Recommendation.objects.select_for_update(of=("self",)).select_related("vote__meeting").get(pk=recommendation.pk)
    )
    if rec.status != RecommendationStatus.VOTED:
        _fail("__all__", _("The League members' meeting must pass the recommendation first."), "not_voted")
    if committee is None or committee.kind != OrgKind.LEAGUE_COMMITTEE:
        _fail("committee", _("Choose the League committee."), "bad_committee")
    _check_date(on, not_before=vote_day(rec.vote), after_what=_("the League members' meeting"))
    rec.committee = committee
    rec.decided_on = on
    rec.status = RecommendationStatus.APPROVED if approved else RecommendationStatus.DECLINED
    if notes:
        rec.notes = (rec.notes + "\n" + notes).strip()
    rec.save()
    return rec


@transaction.atomic
def recommendation_target_set(
    *, school: Organization, year: int, target: int, kind: str = TargetYear.CALENDAR
) -> RecommendationTarget:
    """Set the school's 推优 target for a calendar year, or (`kind=TargetYear.ACADEMIC`) for the academic year
    starting in `year`."""
    obj, _created = RecommendationTarget.objects.update_or_create(
        school=school, kind=kind, year=year, defaults={"target": target}
    )
    return obj


# --- Yearly appraisals ------------------------------------------------------------------------------


def _save_sheet(model, *, people, organization, year, ratings, extra=None):
    allowed = {p.pk for p in people}
    existing = {a.person_id: a for a in model.objects.filter(year=year, person_id__in=allowed)}
    create, update = [], []
    for pid, rating in ratings.items():
        if pid not in allowed or rating not in AppraisalRating.values:
            continue
        fields = {"rating": rating, "organization": organization, **(extra(rating) if extra else {})}
        row = existing.get(pid)
        if row is None:
            create.append(model(person_id=pid, year=year, **fields))
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            row.version += 1
            update.append(row)
    bulk_create_with_history(create, model)
    for row in update:
        row.save()
    return len(create), len(update)


@transaction.atomic
def party_appraisal_save(*, organization: Organization, year: int, people, ratings: dict[int, str], by=None):
    """Save a branch's democratic appraisal sheet for `year` (ratings for people outside `people` are
    ignored). Returns (created, updated)."""
    return _save_sheet(PartyAppraisal, people=people, organization=organization, year=year, ratings=ratings)


@transaction.atomic
def league_registration_save(*, organization: Organization, year: int, people, ratings: dict[int, str], by=None):
    """Save a League branch's annual appraisal; "basically qualified" or better is registered."""
    return _save_sheet(
        LeagueRegistration,
        people=people,
        organization=organization,
        year=year,
        ratings=ratings,
        extra=lambda rating: {"registered": rating in REGISTERABLE_RATINGS},
    )
