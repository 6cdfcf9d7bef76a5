"""A hand-built year whose figures are known: records on the first and last day of 2025, just outside
it, in the previous year, and in another school (never counted)."""

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from branches.models import Election, Organization, OrgKind
from branches.periods import calendar_year
from meetings.models import MeetingKind, VoteKind
from tests.conftest import build_school
from tests.factories import SHANGHAI, MeetingFactory, OfficerFactory, PersonFactory, VoteFactory

YEAR = calendar_year(2025)


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@dataclass
class Year:
    orgs: object
    period: object
    first_class: object


def build_year(orgs, extra_meetings: int = 0) -> Year:
    mk = MeetingFactory
    first = mk(
        organization=orgs.branch1, kind=MeetingKind.PARTY_CLASS, starts_at=at(2025, 1, 1, 0, 30), present_count=10
    )
    mk(
        organization=orgs.group1,
        kind=MeetingKind.PARTY_CLASS,
        starts_at=at(2025, 12, 31, 23, 30),
        ends_at=at(2025, 12, 31, 23, 50),
        present_count=12,
        given_by_secretary=True,
    )
    mk(organization=orgs.branch2, kind=MeetingKind.PARTY_CLASS, starts_at=at(2024, 12, 31, 23, 30), present_count=5)
    mk(organization=orgs.branch1, kind=MeetingKind.PARTY_CLASS, starts_at=at(2026, 1, 1, 0, 10), present_count=7)
    for when in (at(2025, 3, 1), at(2025, 9, 5), at(2025, 11, 20)):
        mk(organization=orgs.general, kind=MeetingKind.JOINT, starts_at=when, present_count=8)
    mk(organization=orgs.class1, kind=MeetingKind.LEAGUE_CLASS, starts_at=at(2025, 6, 1), present_count=30)
    general = mk(organization=orgs.class1, kind=MeetingKind.LEAGUE_GENERAL, starts_at=at(2025, 5, 10), present_count=15)
    VoteFactory(meeting=general, kind=VoteKind.RECOMMENDATION, entitled=20, present=15, yes=12, no=3)
    VoteFactory(meeting=general, kind=VoteKind.RECOMMENDATION, entitled=20, present=15, yes=10, no=5)
    for i in range(extra_meetings):
        mk(
            organization=orgs.group2,
            kind=MeetingKind.PARTY_GROUP,
            starts_at=at(2025, 1 + i % 12, 1 + i % 28),
            present_count=3,
        )
    # Another school: never part of this school's figures.
    other = Organization.objects.create(name="城北中学", kind=OrgKind.SCHOOL)
    other_branch = Organization.objects.create(name="城北党支部", kind=OrgKind.PARTY_BRANCH, parent=other)
    mk(organization=other_branch, kind=MeetingKind.PARTY_CLASS, starts_at=at(2025, 5, 5), present_count=99)
    # Officers: one in post at the year's end in each tree, one whose term ended, one not yet started.
    OfficerFactory(organization=orgs.branch1, user=None, person=PersonFactory(organization=orgs.group1))
    OfficerFactory(organization=orgs.class1, user=None, person=PersonFactory(organization=orgs.class1))
    OfficerFactory(
        organization=orgs.branch2,
        user=None,
        person=PersonFactory(organization=orgs.group2),
        ended_on=date(2025, 6, 30),
    )
    OfficerFactory(
        organization=orgs.branch2,
        user=None,
        person=PersonFactory(organization=orgs.group2),
        started_on=date(2026, 1, 1),
    )
    Election.objects.create(organization=orgs.branch1, held_on=date(2025, 1, 1), posts_filled=3)
    Election.objects.create(organization=orgs.class1, held_on=date(2025, 12, 31), posts_filled=5)
    Election.objects.create(organization=orgs.branch2, held_on=date(2024, 12, 31), posts_filled=3)
    return Year(orgs, YEAR, first)


@pytest.fixture
def year(orgs) -> Year:
    return build_year(orgs)


@pytest.fixture
def school_only(db):
    return build_school()
