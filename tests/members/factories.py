"""Builders for members tests: people with a consistent status history, and votes on meetings."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from meetings.models import Meeting, MeetingKind, Vote, VoteKind
from members import services
from members.idnumber import make_id_number
from members.models import Category, Membership, Person

SHANGHAI = ZoneInfo("Asia/Shanghai")
_seq = iter(range(1, 10**6))


def person(org, *, name="张伟", category=Category.TEACHER, birth=date(1985, 5, 20), **extra) -> Person:
    p = Person.objects.create(name=name, organization=org, category=category, birth_date=birth, **extra)
    Membership.objects.create(person=p, organization=org, started_on=date(2015, 9, 1))
    return p


def full_member(org, *, name="王芳", admitted=date(2005, 6, 1), full=date(2006, 6, 1), **extra) -> Person:
    p = person(org, name=name, **extra)
    services.status_record_from_file(person=p, arrival=date(2015, 9, 1), party_admitted_on=admitted, party_full_on=full)
    p.refresh_from_db()
    return p


def student(org, *, name="李娜", birth=date(2006, 3, 1), league_joined=date(2021, 5, 4), **extra) -> Person:
    p = Person.objects.create(name=name, organization=org, category=Category.STUDENT, birth_date=birth, **extra)
    Membership.objects.create(person=p, organization=org, started_on=date(2024, 9, 1))
    if league_joined:
        services.status_record_from_file(person=p, arrival=date(2024, 9, 1), league_joined_on=league_joined)
        p.refresh_from_db()
    return p


def meeting(org, kind=MeetingKind.BRANCH_GENERAL, on=date(2026, 3, 10)) -> Meeting:
    return Meeting.objects.create(
        organization=org,
        kind=kind,
        topic=f"会议{next(_seq)}",
        starts_at=datetime(on.year, on.month, on.day, 15, 0, tzinfo=SHANGHAI),
    )


def vote(
    subject,
    org,
    *,
    kind=VoteKind.ADMISSION,
    on=date(2026, 3, 10),
    meeting_kind=None,
    entitled=10,
    present=8,
    yes=7,
    no=1,
    abstain=0,
) -> Vote:
    if meeting_kind is None:
        meeting_kind = MeetingKind.LEAGUE_GENERAL if kind == VoteKind.RECOMMENDATION else MeetingKind.BRANCH_GENERAL
    return Vote.objects.create(
        meeting=meeting(org, meeting_kind, on),
        kind=kind,
        subject=subject,
        entitled=entitled,
        present=present,
        yes=yes,
        no=no,
        abstain=abstain,
    )


def id_number(born=date(1985, 5, 20), seq=None) -> str:
    return make_id_number("110101", born, seq if seq is not None else next(_seq) % 1000)


def applicant(org, *, on=date(2023, 1, 10), **kw) -> Person:
    p = person(org, **kw)
    services.application_record(person=p, on=on, organization=org.parent if org.kind == "party_group" else org)
    p.refresh_from_db()
    return p


def activist(org, contacts, *, applied=date(2023, 1, 10), on=date(2023, 3, 1), **kw) -> Person:
    p = applicant(org, on=applied, **kw)
    services.activist_record(person=p, on=on, organization=p.party_org, contacts=contacts)
    p.refresh_from_db()
    return p


def development_target(
    org, contacts, *, activist_on=date(2023, 3, 1), on=date(2024, 3, 1), trained=True, **kw
) -> Person:
    p = activist(org, contacts, on=activist_on, **kw)
    services.development_target_record(person=p, on=on, organization=p.party_org, introducers=contacts)
    if trained:
        services.political_review_record(person=p, on=on, organization=p.party_org)
        services.training_record(person=p, on=on, hours=24, organization=p.party_org)
    p.refresh_from_db()
    return p
