"""The vote rule (DESIGN §2: more than half of those entitled present, "yes" from more than half of those
entitled) has one home, meetings.models: the check `Vote.passed` and the filter `Vote.objects.passed()` must
agree on every vote, and so must the summary's "carried" figures, which use the same filter."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.models import VOTE_PASSED, Vote, VoteKind, majority_of
from tests.factories import MeetingFactory, VoteFactory

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@st.composite
def counts(draw):
    """(entitled, present, yes, no, abstain) as the database allows them: present ≤ entitled, ballots ≤ present."""
    entitled = draw(st.integers(1, 120))
    present = draw(st.integers(0, entitled))
    yes = draw(st.integers(0, present))
    no = draw(st.integers(0, present - yes))
    abstain = draw(st.integers(0, present - yes - no))
    return entitled, present, yes, no, abstain


@pytest.fixture
def meeting():
    return MeetingFactory()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(counts(), min_size=1, max_size=12))
def test_the_passed_filter_agrees_with_the_passed_property(meeting, rows):
    try:
        with transaction.atomic():  # each example on its own votes
            votes = Vote.objects.bulk_create(
                Vote(meeting=meeting, kind=VoteKind.OTHER, motion="议题", entitled=e, present=p, yes=y, no=n, abstain=a)
                for e, p, y, n, a in rows
            )
            by_property = {vote.pk for vote in votes if vote.passed}
            assert set(Vote.objects.passed().values_list("pk", flat=True)) == by_property
            assert (
                set(Vote.objects.exclude(VOTE_PASSED).values_list("pk", flat=True))
                == {vote.pk for vote in votes} - by_property
            )
            raise Rollback
    except Rollback:
        pass


@settings(max_examples=300, deadline=None)
@given(counts())
def test_the_property_is_the_rule_in_words(row):
    entitled, present, yes, no, abstain = row
    vote = Vote(entitled=entitled, present=present, yes=yes, no=no, abstain=abstain)
    assert vote.quorum == (present > entitled / 2)
    assert vote.passed == (present > entitled / 2 and yes > entitled / 2)
    assert vote.majority == majority_of(entitled) > entitled / 2 >= majority_of(entitled) - 1


@pytest.mark.parametrize(
    ("entitled", "present", "yes", "passed"),
    [
        (10, 6, 6, True),  # the smallest majority of an even number
        (10, 5, 5, False),  # half is not more than half
        (10, 10, 5, False),  # all present, yes only half
        (9, 5, 5, True),
        (9, 4, 4, False),
        (1, 1, 1, True),
        (1, 0, 0, False),
    ],
)
def test_edges_of_the_rule(entitled, present, yes, passed):
    vote = VoteFactory(entitled=entitled, present=present, yes=yes, no=0, abstain=0)
    assert vote.passed is passed
    assert Vote.objects.passed().filter(pk=vote.pk).exists() is passed
