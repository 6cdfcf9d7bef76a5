from datetime import datetime

import pytest

from members.models import PoliticalStatus
from tests.factories import SHANGHAI, MeetingFactory, OfficerFactory

from .factories import party_member, student


@pytest.fixture
def branch1_people(orgs):
    """Branch 1: three full members and a probationary member in its group, a non-member colleague, and a
    Party member of branch 2 (an outsider to branch 1)."""
    return {
        "zhang": party_member(orgs.group1, "张伟"),
        "wang": party_member(orgs.group1, "王芳"),
        "li": party_member(orgs.branch1, "李娜"),
        "liu": party_member(orgs.group1, "刘洋", status=PoliticalStatus.PROBATIONARY),
        "chen": party_member(orgs.group1, "陈静", status=PoliticalStatus.MASSES),
        "zhao": party_member(orgs.group2, "赵敏"),
    }


@pytest.fixture
def class1_students(orgs):
    return {
        "a": student(orgs.class1, "李明"),
        "b": student(orgs.class1, "周杰", status=PoliticalStatus.APPLICANT),
        "c": student(orgs.class1, "吴霞", status=PoliticalStatus.MASSES),
        "d": student(orgs.class2, "黄勇"),
    }


@pytest.fixture
def general_meeting(orgs, branch1_people):
    return MeetingFactory(
        organization=orgs.branch1,
        kind="branch_general",
        topic="第一季度支部党员大会",
        starts_at=datetime(2026, 3, 10, 15, 0, tzinfo=SHANGHAI),
    )


@pytest.fixture
def committee_officers(orgs, branch1_people):
    OfficerFactory(organization=orgs.branch1, person=branch1_people["zhang"], user=None)
    OfficerFactory(organization=orgs.branch1, person=branch1_people["wang"], user=None, post="organization")
