"""推优: nomination rules, the League members' meeting vote, the committee's decision, and the chain to
the Party's activist / development-target decision; the year's target against what happened."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from branches.periods import calendar_year
from meetings.models import MeetingKind, VoteKind
from members import selectors, services
from members.models import RecommendationStatus
from members.pipeline import Dossier

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def senior(orgs):
    s = f.student(orgs.class1, name="推优生", birth=date(2006, 1, 1), league_joined=date(2021, 5, 4))
    services.application_record(person=s, on=date(2025, 1, 10), organization=orgs.branch1)
    s.refresh_from_db()
    return s


def approved(orgs, s, on=date(2025, 9, 1)):
    rec = services.recommendation_nominate(person=s, on=on, league_branch=orgs.class1)
    rec = services.recommendation_vote(
        recommendation=rec, vote=f.vote(s, orgs.class1, kind=VoteKind.RECOMMENDATION, on=on.replace(day=8))
    )
    return services.recommendation_decide(
        recommendation=rec, on=on.replace(day=15), committee=orgs.league, approved=True
    )


def test_nomination_needs_six_months_of_application(orgs, senior):
    with pytest.raises(ValidationError) as exc:
        services.recommendation_nominate(person=senior, on=date(2025, 7, 9), league_branch=orgs.class1)
    assert "2025-07-10" in " ".join(exc.value.messages)
    services.recommendation_nominate(person=senior, on=date(2025, 7, 10), league_branch=orgs.class1)


def test_nomination_needs_an_application_and_league_membership(orgs):
    s = f.student(orgs.class1, name="未申请", birth=date(2006, 1, 1))
    with pytest.raises(ValidationError):
        services.recommendation_nominate(person=s, on=date(2025, 9, 1), league_branch=orgs.class1)
    masses = f.student(orgs.class1, name="非团员", birth=date(2006, 1, 1), league_joined=None)
    with pytest.raises(ValidationError):
        services.recommendation_nominate(person=masses, on=date(2025, 9, 1), league_branch=orgs.class1)


def test_failed_members_meeting_vote_closes_the_nomination(orgs, senior):
    rec = services.recommendation_nominate(person=senior, on=date(2025, 9, 1), league_branch=orgs.class1)
    v = f.vote(senior, orgs.class1, kind=VoteKind.RECOMMENDATION, on=date(2025, 9, 8), entitled=40, present=30, yes=20)
    rec = services.recommendation_vote(recommendation=rec, vote=v)
    assert rec.status == RecommendationStatus.DECLINED


def test_vote_must_be_of_a_league_members_meeting(orgs, senior):
    rec = services.recommendation_nominate(person=senior, on=date(2025, 9, 1), league_branch=orgs.class1)
    v = f.vote(
        senior,
        orgs.class1,
        kind=VoteKind.RECOMMENDATION,
        on=date(2025, 9, 8),
        meeting_kind=MeetingKind.LEAGUE_COMMITTEE,
    )
    with pytest.raises(ValidationError):
        services.recommendation_vote(recommendation=rec, vote=v)
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.NOMINATED and rec.vote is None


def test_committee_decides_after_the_vote(orgs, senior):
    rec = services.recommendation_nominate(person=senior, on=date(2025, 9, 1), league_branch=orgs.class1)
    with pytest.raises(ValidationError):
        services.recommendation_decide(recommendation=rec, on=date(2025, 9, 15), committee=orgs.league, approved=True)
    rec = services.recommendation_vote(
        recommendation=rec, vote=f.vote(senior, orgs.class1, kind=VoteKind.RECOMMENDATION, on=date(2025, 9, 8))
    )
    with pytest.raises(ValidationError) as exc:
        services.recommendation_decide(recommendation=rec, on=date(2025, 9, 7), committee=orgs.league, approved=True)
    assert "2025-09-08" in " ".join(exc.value.messages)


def test_activist_through_tuiyou_links_the_outcome(orgs, senior, mentors):
    rec = approved(orgs, senior)
    assert Dossier(senior).usable_recommendations() == [rec]
    event = services.activist_record(
        person=senior, on=date(2025, 10, 1), organization=orgs.branch1, contacts=mentors, recommendation=rec
    )
    assert list(rec.outcomes.all()) == [event]
    with pytest.raises(ValidationError):  # used once only
        services.recommendation_nominate(person=senior, on=date(2025, 10, 2), league_branch=orgs.class1)


def test_development_target_of_a_young_league_member_needs_tuiyou(orgs, senior, mentors):
    services.activist_record(person=senior, on=date(2025, 2, 1), organization=orgs.branch1, contacts=mentors)
    senior.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.development_target_record(
            person=senior, on=date(2026, 2, 1), organization=orgs.branch1, introducers=mentors
        )
    assert exc.value.error_dict["recommendation"][0].code == "needs_recommendation"


def test_recommendation_before_committee_approval_date_is_refused(orgs, senior, mentors):
    rec = approved(orgs, senior)
    with pytest.raises(ValidationError):
        services.activist_record(
            person=senior, on=date(2025, 9, 10), organization=orgs.branch1, contacts=mentors, recommendation=rec
        )


def test_progress_counts_target_and_outcomes(orgs, senior, mentors):
    rec = approved(orgs, senior)
    services.activist_record(
        person=senior, on=date(2025, 10, 1), organization=orgs.branch1, contacts=mentors, recommendation=rec
    )
    other = f.student(orgs.class2, name="另一个", birth=date(2006, 2, 2))
    services.application_record(person=other, on=date(2025, 1, 10), organization=orgs.branch1)
    services.recommendation_nominate(person=other, on=date(2025, 9, 1), league_branch=orgs.class2)
    services.recommendation_target_set(school=orgs.school, year=2025, target=30)
    progress = selectors.recommendation_progress(orgs.school, 2025)
    assert progress == {
        "year": 2025,
        "target": 30,
        "nominated": 2,
        "voted": 1,
        "approved": 1,
        "declined": 0,
        "became_activists": 1,
        "became_targets": 0,
    }
    from reports.figures import compile_figures

    figures = {k: f["value"] for k, f in compile_figures(orgs.school, calendar_year(2025))["figures"].items()}
    assert figures["pipeline.activist"] == 1 and figures["pipeline.application"] == 2
    assert figures["people.activist"] == 1
    # The summary's 推优 figures are the page's, nomination by nomination.
    assert figures["recommendations.nominated"] == progress["nominated"] == 2
    assert figures["recommendations.passed"] == progress["voted"] == 1
    assert figures["recommendations.approved"] == progress["approved"] == 1
    assert figures["pipeline.activist.recommended"] == progress["became_activists"] == 1
