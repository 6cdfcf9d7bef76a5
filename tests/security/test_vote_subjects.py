"""A vote at a Party branch's general meeting is about the people that branch develops: its own members'
candidates and the students it develops, never another branch's (the vote would be offered to that
branch's pipeline step, and its page would show the name). The picker's lookup offers the same people."""

import pytest
from django.urls import reverse

from meetings.models import MeetingKind, Vote
from members.models import Category, PoliticalStatus
from tests.factories import PersonFactory

from ..members import factories as f

pytestmark = pytest.mark.django_db

TARGET = PoliticalStatus.DEVELOPMENT_TARGET


@pytest.fixture
def people(orgs):
    return {
        "teacher": PersonFactory(organization=orgs.group1, name="张一", political_status=TARGET),
        "student": PersonFactory(
            organization=orgs.class1,
            party_organization=orgs.branch1,
            category=Category.STUDENT,
            name="张同学",
            political_status=TARGET,
        ),
        "other_branch": PersonFactory(organization=orgs.group2, name="张二", political_status=TARGET),
        "other_student": PersonFactory(
            organization=orgs.class2,
            party_organization=orgs.branch2,
            category=Category.STUDENT,
            name="张学生",
            political_status=PoliticalStatus.PROBATIONARY,
        ),
    }


@pytest.fixture
def meeting(orgs):
    return f.meeting(orgs.branch1, kind=MeetingKind.BRANCH_GENERAL)


def _vote(client, meeting, subject, **numbers):
    data = {"kind": "admission", "subject": subject.pk, "entitled": 10, "present": 8, "yes": 8, "no": 0, "abstain": 0}
    return client.post(reverse("meetings:vote_create", args=[meeting.pk]), {**data, **numbers})


def test_vote_subjects_are_the_people_the_branch_develops(client_for, party_secretary, meeting, people):
    client = client_for(party_secretary)
    for who in ("other_branch", "other_student"):  # a forged id of the Second branch's candidates
        response = _vote(client, meeting, people[who])
        assert response.status_code == 400
        assert "subject" in response.context["vote_form"].errors
        assert not Vote.objects.exists()
    for who in ("teacher", "student"):  # its own group's candidate, the student it develops
        assert _vote(client, meeting, people[who]).status_code == 302
    assert {v.subject for v in Vote.objects.all()} == {people["teacher"], people["student"]}


def test_a_refused_vote_does_not_show_the_forged_persons_name(client_for, party_secretary, meeting, people):
    response = _vote(client_for(party_secretary), meeting, people["other_branch"], yes=9)  # 9 > 8 present
    assert response.status_code == 400
    assert "张二" not in response.content.decode()


def test_the_pickers_lookup_offers_only_the_branchs_candidates(client_for, party_secretary, meeting, people):
    from meetings.forms import VoteForm

    filters = VoteForm(meeting=meeting).fields["subject"].widget.filters
    response = client_for(party_secretary).get(reverse("members:person_lookup"), {"q": "张", **filters.as_params()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "张一" in page and "张同学" in page
    assert "张二" not in page and "张学生" not in page
