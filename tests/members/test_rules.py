"""The pipeline rules of DESIGN §2, their boundaries, and that a refused step leaves nothing behind."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from meetings.models import MeetingKind, VoteKind
from members import services
from members.dates import add_months, add_years
from members.models import EventKind, PoliticalStatus, Sponsor, StatusEvent
from members.pipeline import Dossier

from . import factories as f

pytestmark = pytest.mark.django_db


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


# --- dates ---------------------------------------------------------------------------------------------


def test_year_anniversary_of_leap_day_is_first_of_march():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2025, 3, 10), 1) == date(2026, 3, 10)


def test_month_counting_clips_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


# --- application: age 18 on the day ----------------------------------------------------------------------


def test_application_accepted_on_18th_birthday(orgs):
    p = f.person(orgs.group1, birth=date(2008, 5, 20))
    services.application_record(person=p, on=date(2026, 5, 20), organization=orgs.branch1)
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.APPLICANT
    assert p.status_since == date(2026, 5, 20)


def test_application_refused_the_day_before_18_with_the_date_that_works(orgs):
    p = f.person(orgs.group1, birth=date(2008, 5, 20))
    with pytest.raises(ValidationError) as exc:
        services.application_record(person=p, on=date(2026, 5, 19), organization=orgs.branch1)
    assert "2026-05-20" in messages_of(exc)
    assert exc.value.error_dict["date"][0].code == "under_18"
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.MASSES
    assert not StatusEvent.objects.filter(person=p).exists()


def test_leap_day_birth_turns_18_on_first_of_march(orgs):
    p = f.person(orgs.group1, birth=date(2008, 2, 29))
    assert p.age_on(date(2026, 2, 28)) == 17
    assert p.age_on(date(2026, 3, 1)) == 18
    with pytest.raises(ValidationError) as exc:
        services.application_record(person=p, on=date(2026, 2, 28), organization=orgs.branch1)
    assert "2026-03-01" in messages_of(exc)
    services.application_record(person=p, on=date(2026, 3, 1), organization=orgs.branch1)


def test_application_in_the_future_is_refused(orgs):
    from django.utils import timezone

    p = f.person(orgs.group1)
    with pytest.raises(ValidationError) as exc:
        services.application_record(person=p, on=add_months(timezone.localdate(), 1), organization=orgs.branch1)
    assert exc.value.error_dict["date"][0].code == "future_date"


def test_student_application_puts_them_under_the_party_branch(orgs):
    s = f.student(orgs.class1, birth=date(2007, 1, 1))
    services.application_record(person=s, on=date(2025, 3, 1), organization=orgs.branch1)
    s.refresh_from_db()
    assert s.party_organization == orgs.branch1
    assert s.party_org == orgs.branch1


# --- talk ----------------------------------------------------------------------------------------------


def test_talk_due_one_month_after_application_and_overdue_when_missing(orgs):
    p = f.applicant(orgs.group1, on=date(2026, 1, 31))
    d = Dossier(p)
    assert d.talk_due_on == date(2026, 2, 28)
    step = d.next_step(date(2026, 3, 1))
    assert step.step == "talk" and step.overdue
    assert not Dossier(p).next_step(date(2026, 2, 10)).overdue


def test_talk_before_application_refused_and_only_once(orgs):
    p = f.applicant(orgs.group1, on=date(2026, 1, 10))
    with pytest.raises(ValidationError) as exc:
        services.talk_record(person=p, on=date(2026, 1, 9), organization=orgs.branch1)
    assert "2026-01-10" in messages_of(exc)
    services.talk_record(person=p, on=date(2026, 1, 20), organization=orgs.branch1)
    with pytest.raises(ValidationError):
        services.talk_record(person=p, on=date(2026, 1, 21), organization=orgs.branch1)


# --- activist: two training contacts, full members ------------------------------------------------------


def test_activist_needs_two_full_member_contacts(orgs, mentors):
    p = f.applicant(orgs.group1)
    with pytest.raises(ValidationError) as exc:
        services.activist_record(person=p, on=date(2023, 3, 1), organization=orgs.branch1, contacts=mentors[:1])
    assert exc.value.error_dict["contacts"][0].code == "count"
    not_member = f.person(orgs.group1, name="赵敏")
    with pytest.raises(ValidationError) as exc:
        services.activist_record(
            person=p, on=date(2023, 3, 1), organization=orgs.branch1, contacts=[mentors[0], not_member]
        )
    assert "赵敏" in messages_of(exc)
    # Nothing half-saved: no event, no contact, status unchanged.
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.APPLICANT
    assert not Sponsor.objects.filter(person=p).exists()
    assert not StatusEvent.objects.filter(person=p, kind=EventKind.ACTIVIST).exists()


def test_activist_recorded_with_contacts(orgs, mentors):
    p = f.activist(orgs.group1, mentors, on=date(2023, 3, 1))
    assert p.political_status == PoliticalStatus.ACTIVIST
    assert {s.sponsor for s in Dossier(p).contacts} == set(mentors)


def test_activist_cannot_predate_application(orgs, mentors):
    p = f.applicant(orgs.group1, on=date(2023, 1, 10))
    with pytest.raises(ValidationError) as exc:
        services.activist_record(person=p, on=date(2023, 1, 5), organization=orgs.branch1, contacts=mentors)
    assert "2023-01-10" in messages_of(exc)


# --- quarterly assessments --------------------------------------------------------------------------------


def test_assessment_by_a_contact_and_quarter_tracking(orgs, mentors):
    p = f.activist(orgs.group1, mentors, on=date(2025, 2, 1))
    services.assessment_record(person=p, on=date(2025, 5, 10), contact=mentors[0], rating="good", thought_report=True)
    d = Dossier(p)
    assert d.assessed_in(2025, 2)
    # Q3 2025 missed: on 2025-10-15 the current quarter's assessment is overdue.
    step = [s for s in d.next_steps(date(2025, 10, 15)) if s.step == "assessment"][0]
    assert step.overdue and step.due_on == date(2025, 9, 30)
    outsider = f.full_member(orgs.group1, name="周杰")
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(person=p, on=date(2025, 6, 1), contact=outsider, rating="good", thought_report=False)
    assert exc.value.error_dict["contact"][0].code == "not_contact"


# --- development target: one full year as activist --------------------------------------------------------


def test_development_target_exactly_one_year_after_activist_is_allowed(orgs, mentors):
    p = f.activist(orgs.group1, mentors, on=date(2024, 3, 10))
    services.development_target_record(person=p, on=date(2025, 3, 10), organization=orgs.branch1, introducers=mentors)
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.DEVELOPMENT_TARGET


def test_development_target_a_day_early_is_refused_with_the_date(orgs, mentors):
    p = f.activist(orgs.group1, mentors, on=date(2024, 3, 10))
    with pytest.raises(ValidationError) as exc:
        services.development_target_record(
            person=p, on=date(2025, 3, 9), organization=orgs.branch1, introducers=mentors
        )
    assert exc.value.error_dict["date"][0].code == "one_year"
    assert "2025-03-10" in messages_of(exc)
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.ACTIVIST
    assert not Sponsor.objects.filter(person=p, role="introducer").exists()


def test_leap_day_activist_year_ends_first_of_march(orgs, mentors):
    p = f.activist(orgs.group1, mentors, applied=date(2024, 1, 10), on=date(2024, 2, 29))
    assert Dossier(p).target_possible_on == date(2025, 3, 1)
    with pytest.raises(ValidationError):
        services.development_target_record(
            person=p, on=date(2025, 2, 28), organization=orgs.branch1, introducers=mentors
        )
    services.development_target_record(person=p, on=date(2025, 3, 1), organization=orgs.branch1, introducers=mentors)


def test_development_target_needs_two_full_member_introducers(orgs, mentors):
    p = f.activist(orgs.group1, mentors, on=date(2023, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.development_target_record(
            person=p, on=date(2024, 3, 1), organization=orgs.branch1, introducers=[p, mentors[0]]
        )
    assert exc.value.error_dict["introducers"][0].code == "self"


# --- admission: the branch general meeting's vote ----------------------------------------------------------


def test_admission_uses_the_vote_and_the_meeting_date(orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    v = f.vote(p, orgs.branch1, on=date(2024, 6, 20))
    event = services.admission_record(person=p, vote=v)
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.PROBATIONARY
    assert p.status_since == date(2024, 6, 20) == event.date
    assert event.meeting == v.meeting and event.organization == orgs.branch1


@pytest.mark.parametrize(
    ("entitled", "present", "yes", "needle"),
    [
        (10, 5, 5, "at least 6"),  # exactly half present: no quorum
        (10, 9, 5, "at least 6"),  # quorum, but yes only half of those entitled
        (9, 5, 4, "at least 5"),  # odd numbers: yes must exceed 4.5
    ],
)
def test_admission_vote_arithmetic(orgs, mentors, entitled, present, yes, needle):
    p = f.development_target(orgs.group1, mentors)
    v = f.vote(p, orgs.branch1, on=date(2024, 6, 20), entitled=entitled, present=present, yes=yes, no=0)
    with pytest.raises(ValidationError) as exc:
        services.admission_record(person=p, vote=v)
    assert needle in messages_of(exc)
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.DEVELOPMENT_TARGET


def test_admission_vote_passes_at_the_smallest_majority(orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    v = f.vote(p, orgs.branch1, on=date(2024, 6, 20), entitled=10, present=6, yes=6, no=0)
    services.admission_record(person=p, vote=v)


def test_admission_refuses_other_meetings_and_other_peoples_votes(orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    other = f.person(orgs.group1, name="吴霞")
    with pytest.raises(ValidationError):
        services.admission_record(person=p, vote=f.vote(other, orgs.branch1, on=date(2024, 6, 20)))
    committee_vote = f.vote(p, orgs.branch1, on=date(2024, 6, 20), meeting_kind=MeetingKind.BRANCH_COMMITTEE)
    with pytest.raises(ValidationError) as exc:
        services.admission_record(person=p, vote=committee_vote)
    assert "Branch general meeting" in messages_of(exc)


def test_admission_needs_review_training_and_introducers(orgs, mentors):
    p = f.development_target(orgs.group1, mentors, trained=False)
    with pytest.raises(ValidationError) as exc:
        services.admission_record(person=p, vote=f.vote(p, orgs.branch1, on=date(2024, 6, 20)))
    text = messages_of(exc)
    assert "political review" in text and "24" in text


def test_a_vote_decides_one_step_only(orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    v = f.vote(p, orgs.branch1, on=date(2024, 6, 20))
    services.admission_record(person=p, vote=v)
    services.higher_approval_record(person=p, on=date(2024, 7, 1), organization=orgs.general)
    v.kind = VoteKind.CONVERSION
    v.save()
    with pytest.raises(ValidationError) as exc:
        services.conversion_record(person=p, vote=v)
    assert "already been used" in messages_of(exc)


# --- probation: one year from the meeting, extension once, cancellation ------------------------------------


def _probationary(orgs, mentors, admitted=date(2024, 6, 20)):
    p = f.development_target(orgs.group1, mentors)
    services.admission_record(person=p, vote=f.vote(p, orgs.branch1, on=admitted))
    services.higher_approval_record(person=p, on=add_months(admitted, 1), organization=orgs.general)
    services.oath_record(person=p, on=add_months(admitted, 2), organization=orgs.branch1)
    p.refresh_from_db()
    return p


def test_conversion_exactly_one_year_after_the_admission_meeting(orgs, mentors):
    p = _probationary(orgs, mentors)
    services.conversion_record(person=p, vote=f.vote(p, orgs.branch1, kind=VoteKind.CONVERSION, on=date(2025, 6, 20)))
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.FULL_MEMBER and p.status_since == date(2025, 6, 20)
    assert not Sponsor.objects.filter(person=p, ended_on__isnull=True).exists()


def test_conversion_before_the_year_is_refused_with_the_date(orgs, mentors):
    p = _probationary(orgs, mentors)
    with pytest.raises(ValidationError) as exc:
        services.conversion_record(
            person=p, vote=f.vote(p, orgs.branch1, kind=VoteKind.CONVERSION, on=date(2025, 6, 19))
        )
    assert "2025-06-20" in messages_of(exc)
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.PROBATIONARY


def test_conversion_needs_the_higher_approval(orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    services.admission_record(person=p, vote=f.vote(p, orgs.branch1, on=date(2024, 6, 20)))
    with pytest.raises(ValidationError) as exc:
        services.conversion_record(
            person=p, vote=f.vote(p, orgs.branch1, kind=VoteKind.CONVERSION, on=date(2025, 7, 1))
        )
    assert exc.value.error_dict["vote"][0].code == "no_approval"


def test_oath_follows_approval(orgs, mentors):
    p = f.development_target(orgs.group1, mentors)
    services.admission_record(person=p, vote=f.vote(p, orgs.branch1, on=date(2024, 6, 20)))
    with pytest.raises(ValidationError):
        services.oath_record(person=p, on=date(2024, 7, 1), organization=orgs.branch1)


def test_extension_once_6_to_12_months_moves_the_end(orgs, mentors):
    p = _probationary(orgs, mentors)
    with pytest.raises(ValidationError):
        services.extension_record(person=p, on=date(2025, 6, 20), months=5, organization=orgs.branch1)
    services.extension_record(person=p, on=date(2025, 6, 20), months=6, organization=orgs.branch1)
    assert Dossier(p).probation_ends_on == date(2025, 12, 20)
    with pytest.raises(ValidationError) as exc:
        services.extension_record(person=p, on=date(2025, 7, 1), months=6, organization=orgs.branch1)
    assert "only once" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.conversion_record(
            person=p, vote=f.vote(p, orgs.branch1, kind=VoteKind.CONVERSION, on=date(2025, 12, 19))
        )
    assert "2025-12-20" in messages_of(exc)
    services.conversion_record(person=p, vote=f.vote(p, orgs.branch1, kind=VoteKind.CONVERSION, on=date(2025, 12, 20)))


def test_cancellation_returns_to_the_status_outside_the_party(orgs, mentors):
    p = _probationary(orgs, mentors)
    services.cancellation_record(person=p, on=date(2025, 6, 25), organization=orgs.branch1, notes="未履行义务")
    p.refresh_from_db()
    assert p.political_status == PoliticalStatus.MASSES
    assert StatusEvent.objects.filter(person=p).count() > 5  # history kept


def test_wrong_status_is_refused(orgs, mentors):
    p = f.person(orgs.group1)
    with pytest.raises(ValidationError) as exc:
        services.admission_record(person=p, vote=f.vote(p, orgs.branch1))
    assert "Masses" in messages_of(exc)


def test_status_from_file_needs_a_year_of_probation(orgs):
    p = f.person(orgs.group1)
    with pytest.raises(ValidationError):
        services.status_record_from_file(
            person=p, arrival=date(2020, 1, 1), party_admitted_on=date(2010, 5, 1), party_full_on=date(2011, 4, 30)
        )
