import pytest

from members.models import Category

from . import factories as f


@pytest.fixture
def mentors(orgs):
    """Two full Party members of the First branch (training contacts, introducers)."""
    return [f.full_member(orgs.group1, name="陈明"), f.full_member(orgs.group1, name="刘强")]


@pytest.fixture
def teacher(orgs):
    return f.person(orgs.group1, name="张伟", category=Category.TEACHER)
