"""The summary's figures of people, ID numbers, and the demo seed's consistency."""

import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from branches.periods import calendar_year, custom
from members import selectors, services
from members.idnumber import check_char, make_id_number, validate_id_number
from members.models import AppraisalRating, PartyAppraisal, Person, PoliticalStatus, StatusEvent
from members.pipeline import Dossier

from . import factories as f

pytestmark = pytest.mark.django_db


def test_id_number_checksum():
    validate_id_number("11010519491231002X")  # the standard's example
    assert check_char("11010519491231002") == "X"
    with pytest.raises(ValidationError):
        validate_id_number("110105194912310021")
    with pytest.raises(ValidationError):
        validate_id_number("110105194913310029")  # month 13
    validate_id_number("110105491231002")  # 15 digits: accepted as digits
    assert make_id_number("441421", date(2008, 2, 29), 1)[6:14] == "20080229"


def figures(org, period) -> dict:
    from reports.figures import compile_figures

    return {k: f["value"] for k, f in compile_figures(org, period)["figures"].items()}


def test_activists_in_training_counts_contacts_and_assessments(orgs, mentors):
    a = f.activist(orgs.group1, mentors, name="甲", on=date(2025, 1, 5))
    f.activist(orgs.group1, mentors, name="乙", on=date(2025, 1, 5))
    services.assessment_record(person=a, on=date(2025, 5, 1), contact=mentors[0], rating="good", thought_report=True)
    q2 = custom(date(2025, 4, 1), date(2025, 6, 30))  # training is counted on the period's last day
    got = figures(orgs.branch1, q2)
    assert (got["training.total"], got["training.two_contacts"], got["training.assessed"]) == (2, 2, 1)
    assert figures(orgs.branch2, q2)["training.total"] == 0


def test_appraisal_figures(orgs, mentors):
    services.party_appraisal_save(
        organization=orgs.branch1,
        year=2025,
        people=mentors,
        ratings={mentors[0].pk: AppraisalRating.EXCELLENT, mentors[1].pk: AppraisalRating.QUALIFIED},
    )
    assert PartyAppraisal.history.count() == 2  # audited
    got = figures(orgs.school, calendar_year(2025))
    assert [got[f"appraisal.{r}"] for r in ("excellent", "qualified", "basic", "unqualified")] == [1, 1, 0, 0]
    assert got["appraisal.total"] == 2


def test_pipeline_figures_ignore_steps_from_the_file(orgs, mentors):
    got = figures(orgs.school, calendar_year(2005))
    assert got["pipeline.admission"] == 0  # mentors' admissions came from their files
    # People are counted on the period's last day: in 2005 neither belonged to the school yet (they came in
    # September 2015, Party members from their files).
    assert (got["people.full_member"], got["people.probationary"]) == (0, 0)
    assert figures(orgs.school, calendar_year(2015))["people.full_member"] == 2


def test_demo_seed_is_consistent(settings):
    from branches import seed as branches_seed
    from core.seeding import SeedContext
    from members import seed as members_seed

    ctx = SeedContext(rng=random.Random(2026), size="small", today=date(2026, 11, 25))
    branches_seed.seed(ctx)
    members_seed.seed(ctx)
    statuses = set(Person.objects.values_list("political_status", flat=True))
    assert statuses == set(PoliticalStatus.values)  # every stage present
    # Every status comes with its history, and the denormalized status matches the last status event.
    for p in Person.objects.exclude(political_status=PoliticalStatus.MASSES).prefetch_related("status_events"):
        last = [e for e in sorted(p.status_events.all(), key=lambda e: (e.date, e.pk)) if e.status][-1]
        assert last.status == p.political_status, p.name
        assert last.date == p.status_since, p.name
    # Staff full members carry a plausible history: admission before conversion, a year apart.
    for p in Person.objects.filter(political_status=PoliticalStatus.FULL_MEMBER):
        d = Dossier(p)
        assert d.admitted_on and d.converted_on >= date(d.admitted_on.year + 1, d.admitted_on.month, 1)
    # Some assessments are overdue, some 推优 are in each state, appraisals exist.
    dossiers = selectors.pipeline_people(ctx.users["admin"])
    assert any(s.step == "assessment" and s.overdue for d in dossiers for s in d.next_steps(ctx.today))
    assert StatusEvent.objects.filter(recommendation__isnull=False).exists()
    assert PartyAppraisal.objects.filter(year=2025).exists()
    from members.models import Recommendation

    assert {"nominated", "voted", "approved", "declined"} <= set(
        Recommendation.objects.values_list("status", flat=True)
    )
    for p in Person.objects.exclude(id_number=None):
        validate_id_number(p.id_number)
