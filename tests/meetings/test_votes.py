import pytest
from django.core.exceptions import ValidationError

from meetings.models import Vote
from tests.factories import MeetingFactory, VoteFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("entitled", "present", "yes", "passed"),
    [
        (10, 5, 5, False),  # half present is not more than half
        (10, 6, 6, True),
        (10, 10, 5, False),  # half "yes" is not more than half of those entitled
        (10, 10, 6, True),
        (10, 6, 5, False),  # quorate but yes only half
        (9, 5, 5, True),  # odd: 5 of 9 is more than half
        (9, 4, 4, False),
        (9, 9, 4, False),
        (7, 4, 4, True),
        (1, 1, 1, True),
    ],
)
def test_vote_rule_at_its_boundaries(entitled, present, yes, passed):
    vote = Vote(entitled=entitled, present=present, yes=yes, no=0, abstain=0)
    assert vote.passed is passed


def test_yes_must_be_measured_against_entitled_not_present():
    # 6 present of 10, all 6 yes: passes; 6 present, 5 yes: fails although 5/6 of those present said yes.
    assert Vote(entitled=10, present=6, yes=6).passed
    assert not Vote(entitled=10, present=6, yes=5, no=1).passed


def test_numbers_must_add_up(orgs):
    meeting = MeetingFactory(organization=orgs.branch1, kind="branch_general")
    bad = Vote(meeting=meeting, kind="other", motion="议题", entitled=10, present=11, yes=6)
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "present" in exc.value.message_dict
    bad = Vote(meeting=meeting, kind="other", motion="议题", entitled=10, present=8, yes=6, no=2, abstain=1)
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "yes" in exc.value.message_dict


def test_admission_only_at_a_branch_general_meeting(orgs, branch1_people):
    committee = MeetingFactory(organization=orgs.branch1, kind="branch_committee")
    vote = Vote(meeting=committee, kind="admission", subject=branch1_people["chen"], entitled=5, present=5, yes=5)
    with pytest.raises(ValidationError) as exc:
        vote.full_clean()
    assert "kind" in exc.value.message_dict


def test_recommendation_only_at_a_league_members_meeting(orgs, class1_students):
    general = MeetingFactory(organization=orgs.branch1, kind="branch_general")
    vote = Vote(meeting=general, kind="recommendation", subject=class1_students["a"], entitled=5, present=5, yes=5)
    with pytest.raises(ValidationError):
        vote.full_clean()
    league = MeetingFactory(organization=orgs.class1, kind="league_general")
    Vote(meeting=league, kind="recommendation", subject=class1_students["a"], entitled=5, present=5, yes=5).full_clean()


def test_a_person_vote_needs_its_subject(orgs):
    general = MeetingFactory(organization=orgs.branch1, kind="branch_general")
    with pytest.raises(ValidationError) as exc:
        Vote(meeting=general, kind="admission", entitled=5, present=5, yes=5).full_clean()
    assert "subject" in exc.value.message_dict


def test_votes_for_person_selector_offers_the_vote_to_the_pipeline(orgs, branch1_people):
    from meetings.selectors import votes_for_person

    general = MeetingFactory(organization=orgs.branch1, kind="branch_general")
    vote = VoteFactory(meeting=general, subject=branch1_people["chen"])
    assert list(votes_for_person(branch1_people["chen"], kind="admission")) == [vote]
    assert list(votes_for_person(branch1_people["chen"], kind="conversion")) == []
