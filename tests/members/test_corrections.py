"""Correcting mistakes: only the latest step can be withdrawn; what it set up is undone and the status
derived again; assessments can be deleted; a vote waiting on a meeting is pointed out on the page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from meetings.models import VoteKind
from members import services
from members.models import Assessment, PoliticalStatus, Sponsor, StatusEvent

from . import factories as f

pytestmark = pytest.mark.django_db


def test_withdraw_activist_removes_contacts_and_restores_applicant(orgs, mentors):
    p = f.activist(orgs.group1, mentors, on=date(2023, 3, 1))
    event = StatusEvent.objects.get(person=p, kind="activist")
    services.status_event_withdraw(event=event)
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.APPLICANT and p.status_since == date(2023, 1, 10)
    assert not Sponsor.objects.filter(person=p).exists()
    assert StatusEvent.history.filter(history_type="-").count() == 1  # the audit trail keeps it


def test_only_the_latest_step_can_be_withdrawn(orgs, mentors):
    p = f.activist(orgs.group1, mentors)
    application = StatusEvent.objects.get(person=p, kind="application")
    with pytest.raises(ValidationError) as exc:
        services.status_event_withdraw(event=application)
    assert "Chosen as activist" in " ".join(exc.value.messages)


def test_withdrawn_admission_frees_its_vote(orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    v = f.vote(p, orgs.branch1, on=date(2024, 6, 20))
    event = services.admission_record(person=p, vote=v)
    services.status_event_withdraw(event=event)
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.DEVELOPMENT_TARGET
    v = type(v).objects.get(pk=v.pk)
    services.admission_record(person=p, vote=v)  # the same vote can be used again


def test_withdrawn_league_join_returns_to_masses(orgs):
    p = f.person(orgs.group1, birth=date(2000, 1, 1))
    event = services.league_join(person=p, on=date(2015, 5, 4), organization=orgs.league)
    services.status_event_withdraw(event=event)
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.MASSES and p.league_joined_on is None


def test_withdraw_page_needs_edit_rights(client_for, branch_secretary, viewer, outsider, orgs, mentors):
    p = f.activist(orgs.group1, mentors)
    event = StatusEvent.objects.get(person=p, kind="activist")
    url = f"/members/events/{event.pk}/withdraw/"
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).post(url).status_code == 403
    c = client_for(branch_secretary)
    assert "Withdraw this step" in c.get(p.get_absolute_url()).content.decode()
    assert c.get(url).status_code == 200
    assert c.post(url).status_code == 302
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.APPLICANT


def test_assessment_delete(client_for, branch_secretary, viewer, orgs, mentors):
    p = f.activist(orgs.group1, mentors, on=date(2025, 1, 5))
    a = services.assessment_record(
        person=p, on=date(2025, 5, 1), contact=mentors[0], rating="good", thought_report=True
    )
    url = f"/members/assessments/{a.pk}/delete/"
    assert client_for(viewer).post(url).status_code == 403
    assert client_for(branch_secretary).post(url).status_code == 302
    assert not Assessment.objects.exists()


def test_detail_points_to_a_vote_waiting_on_a_meeting(client_for, branch_secretary, orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    f.vote(p, orgs.branch1, on=date(2024, 6, 20), kind=VoteKind.ADMISSION)
    page = client_for(branch_secretary).get(p.get_absolute_url()).content.decode()
    assert "waits to be used" in page and f"/members/{p.pk}/step/admission/" in page
