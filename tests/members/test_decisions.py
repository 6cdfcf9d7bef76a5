"""The meetings and votes that decide pipeline steps are the meetings app's; members receives its answers
through the provider meetings sets when ready (members.decisions ← meetings.decisions): the step forms'
meeting and vote fields, the services' vote checks, the votes waiting on the person page."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from meetings.decisions import MEETING_KINDS_OF_STEP, PROVIDER, STEP_OF_VOTE_KIND, VOTE_KIND_OF_STEP
from meetings.models import PERSON_VOTE_KINDS, VOTE_MEETING_KIND, MeetingKind, Vote, VoteKind
from members import decisions, selectors, services
from members.forms import STEPS, ActivistForm, AdmissionForm, RecommendationVoteForm
from members.models import PoliticalStatus, StatusEvent
from members.pipeline import Dossier

from . import factories as f

pytestmark = pytest.mark.django_db


def test_meetings_hands_its_provider_down_when_ready():
    assert decisions.decision_provider() is PROVIDER


def test_without_a_provider_the_pipeline_says_so(monkeypatch):
    monkeypatch.setattr(decisions, "_provider", None)
    with pytest.raises(ImproperlyConfigured):
        decisions.decision_provider()


def test_every_vote_step_has_its_vote_kind_and_meeting_type():
    assert set(VOTE_KIND_OF_STEP) == set(decisions.VOTE_STEPS)
    assert set(STEP_OF_VOTE_KIND) == set(VOTE_MEETING_KIND) == PERSON_VOTE_KINDS
    assert {"admission", "conversion"} <= set(STEPS)  # 推优's vote is linked on its own page
    assert set(MEETING_KINDS_OF_STEP) <= set(STEPS)


def test_only_the_steps_with_meeting_types_offer_a_meeting(orgs, teacher):
    with_meeting = set()
    for slug, form_class in STEPS.items():
        form = form_class(person=teacher, dossier=Dossier(teacher))
        if "meeting" in form.fields:
            with_meeting.add(slug)
    assert with_meeting == set(MEETING_KINDS_OF_STEP)


def test_a_step_records_the_meeting_picked_among_its_types(client_for, branch_secretary, orgs, mentors):
    p = f.applicant(orgs.group1, on=date(2025, 1, 10))
    committee = f.meeting(orgs.branch1, MeetingKind.BRANCH_COMMITTEE, date(2025, 3, 1))
    league = f.meeting(orgs.class1, MeetingKind.LEAGUE_GENERAL, date(2025, 3, 1))
    offered = list(ActivistForm(person=p, dossier=Dossier(p)).fields["meeting"].queryset)
    assert committee in offered and league not in offered
    data = {
        "date": "2025-03-01",
        "organization": orgs.branch1.pk,
        "contacts_1": mentors[0].pk,
        "contacts_2": mentors[1].pk,
    }
    c = client_for(branch_secretary)
    assert c.post(f"/members/{p.pk}/step/activist/", {**data, "meeting": league.pk}).status_code == 200
    assert c.post(f"/members/{p.pk}/step/activist/", {**data, "meeting": committee.pk}).status_code == 302
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.ACTIVIST
    assert StatusEvent.objects.get(person=p, kind="activist").meeting == committee


def test_a_vote_step_offers_the_unused_votes_of_its_kind(orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    admission = f.vote(p, orgs.branch1, on=date(2024, 6, 20))
    f.vote(p, orgs.branch1, kind=VoteKind.CONVERSION, on=date(2024, 6, 21))
    field = AdmissionForm(person=p, dossier=Dossier(p)).fields["vote"]
    assert list(field.queryset) == [admission]
    assert "present 8/10, yes 7, no 1, abstain 0" in field.label_from_instance(admission)
    services.admission_record(person=p, vote=admission)
    p.refresh_from_db()
    assert not AdmissionForm(person=p, dossier=Dossier(p)).has_votes  # used once, offered no more


def test_the_recommendation_page_offers_the_league_members_meetings_vote(orgs):
    senior = f.student(orgs.class1, name="周杰", birth=date(2006, 3, 1), league_joined=date(2021, 5, 4))
    services.application_record(person=senior, on=date(2024, 3, 10), organization=orgs.branch1)
    rec = services.recommendation_nominate(person=senior, on=date(2024, 9, 20), league_branch=orgs.class1)
    assert not RecommendationVoteForm(recommendation=rec).has_votes
    vote = f.vote(senior, orgs.class1, kind=VoteKind.RECOMMENDATION, on=date(2024, 9, 27))
    assert list(RecommendationVoteForm(recommendation=rec).fields["vote"].queryset) == [vote]


def test_the_provider_says_why_a_vote_cannot_decide_a_step(orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    other = f.person(orgs.group1, name="赵强")
    assert "not a" in PROVIDER.vote_problem(f.vote(other, orgs.branch1), person=p, step="admission")
    conversion = f.vote(p, orgs.branch1, kind=VoteKind.CONVERSION)
    assert "not a" in PROVIDER.vote_problem(conversion, person=p, step="admission")
    at_committee = f.vote(p, orgs.branch1, meeting_kind=MeetingKind.BRANCH_COMMITTEE)
    assert "must be taken at a" in PROVIDER.vote_problem(at_committee, person=p, step="admission")
    vote = f.vote(p, orgs.branch1, on=date(2024, 6, 20))
    assert PROVIDER.vote_problem(vote, person=p, step="admission") is None
    services.admission_record(person=p, vote=vote)
    vote.refresh_from_db()
    assert "already been used" in PROVIDER.vote_problem(vote, person=p, step="admission")


@pytest.mark.parametrize(
    ("entitled", "present", "yes"),
    [(10, 5, 5), (10, 6, 5), (10, 6, 6), (9, 5, 5), (9, 5, 4), (9, 4, 4), (1, 1, 1), (1, 0, 0)],
)
def test_the_pipeline_reads_the_vote_rule_of_meetings(orgs, entitled, present, yes):
    vote = Vote.objects.create(
        meeting=f.meeting(orgs.branch1), kind=VoteKind.OTHER, motion="动议", entitled=entitled, present=present, yes=yes
    )
    carried = Vote.objects.passed().filter(pk=vote.pk).exists()
    assert carried == vote.passed == (PROVIDER.result_problem(vote) is None)


def test_the_person_page_points_to_the_votes_that_decide_a_step(orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    admission = f.vote(p, orgs.branch1, on=date(2024, 6, 20))
    Vote.objects.create(
        meeting=f.meeting(orgs.branch1, on=date(2024, 6, 21)),
        kind=VoteKind.OTHER,
        subject=p,
        motion="表彰优秀党员",
        entitled=10,
        present=8,
        yes=8,
    )
    assert [(w["vote"], w["url"]) for w in selectors.unused_votes(p)] == [
        (admission, f"/members/{p.pk}/step/admission/")
    ]
