"""Factories for the meetings tests (the shared MeetingFactory/VoteFactory live in tests/factories.py)."""

from datetime import date

import factory

from meetings.models import Attendance, AttendanceStatus
from members.models import Category, PoliticalStatus
from tests.factories import PersonFactory


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    person = factory.SubFactory(PersonFactory)
    status = AttendanceStatus.PRESENT


def party_member(org, name="张伟", status=PoliticalStatus.FULL_MEMBER, **kw):
    return PersonFactory(organization=org, name=name, political_status=status, **kw)


def student(org, name="李明", status=PoliticalStatus.LEAGUE_MEMBER, **kw):
    """A student; one of any status but masses is in the League (League membership is recorded by its dates)."""
    if status != PoliticalStatus.MASSES:
        kw.setdefault("league_joined_on", date(2024, 5, 4))
    return PersonFactory(organization=org, name=name, political_status=status, category=Category.STUDENT, **kw)
