"""Need to know (docs/privacy.md): who reads ID numbers and phones in full, what everyone else reads, the same
masks on the history pages and in exports, the search that must not reveal a masked number, and the log entry
every export of personal data writes."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from branches.permissions import Role
from finance import services as finance_services
from members.access import can_see_sensitive, sensitive_q
from members.idnumber import make_id_number, mask_id_number
from members.models import ExportLog, Person, PoliticalStatus
from members.models.people import mask_phone
from tests.activities.factories import ActivityFactory
from tests.factories import OfficerFactory, UserFactory
from tests.finance.factories import AidFundFactory, DuesAccountFactory
from tests.members import factories as f

pytestmark = pytest.mark.django_db

REGION = "330102"  # the county: every student of the school shares it
BORN = date(2009, 4, 12)
CLASSMATE_ID = make_id_number(REGION, BORN, 17)
CLASSMATE_PHONE = "13812345678"


@pytest.fixture
def classmate(orgs):
    return f.student(orgs.class1, name="王小明", birth=BORN, id_number=CLASSMATE_ID, phone=CLASSMATE_PHONE)


@pytest.fixture
def student_secretary(orgs, class_secretary):
    """As in the demo: the 高一（1）班 League secretary's account is a student's — her own person record is
    a student of the class (and she holds the class's secretary post)."""
    f.student(orgs.class1, name="刘思雨", user=class_secretary, id_number=make_id_number(REGION, BORN, 18))
    return class_secretary


@pytest.fixture
def adult_officer(orgs):
    """A teacher who holds a post of the class League branch (its adviser on the branch committee)."""
    user = UserFactory(username="adviser", roles=[Role.BRANCH_SECRETARY])
    f.person(orgs.group1, name="陈老师", user=user)
    OfficerFactory(organization=orgs.class1, user=user)
    return user


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


# --- who reads what ---------------------------------------------------------------------------------


def test_student_class_secretary_sees_her_classmates_id_numbers_and_phones_masked(
    client_for, student_secretary, classmate
):
    c = client_for(student_secretary)
    for html in (page(c, reverse("members:list")), page(c, classmate.get_absolute_url())):
        assert CLASSMATE_ID not in html and CLASSMATE_PHONE not in html
        assert "330102************" in html and "138********" in html
    # Nor in the Excel file (she may export her class's list, masked like the page).
    rows = list(load_workbook(BytesIO(c.get(reverse("members:export")).content)).active.iter_rows(values_only=True))
    mine = next(r for r in rows if r[0] == "王小明")
    assert (mine[8], mine[9]) == ("330102************", "138********")


def test_adult_officer_of_the_class_reads_what_the_student_secretary_may_not(
    client_for, student_secretary, adult_officer, classmate
):
    assert CLASSMATE_ID not in page(client_for(student_secretary), classmate.get_absolute_url())
    html = page(client_for(adult_officer), classmate.get_absolute_url())
    assert CLASSMATE_ID in html and CLASSMATE_PHONE in html


def test_a_post_held_for_a_student_makes_the_account_a_students(client_for, orgs, classmate):
    """The account is not linked to a person record, but its post names a student: still a student account."""
    user = UserFactory(username="monitor", roles=[Role.BRANCH_SECRETARY])
    OfficerFactory(organization=orgs.class1, user=user, person=f.student(orgs.class1, name="赵小敏"))
    html = page(client_for(user), classmate.get_absolute_url())
    assert CLASSMATE_ID not in html and "330102************" in html


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("admin_user", True),  # administrator of the school
        ("league_secretary", True),  # adult officer whose post (the League committee) covers the class
        ("adult_officer", True),  # adult officer of the class itself
        ("party_secretary", False),  # his post (the Party general branch) does not cover a League class
        ("student_secretary", False),  # a student account, whatever post she holds
        ("viewer", False),  # read-only
        ("other_class_secretary", False),  # another class
    ],
)
def test_who_reads_a_students_id_number_and_the_filter_agrees(request, role, sees, classmate):
    user = request.getfixturevalue(role)
    assert can_see_sensitive(user, classmate) is sees
    assert Person.objects.filter(sensitive_q(user), pk=classmate.pk).exists() is sees


def test_masks_keep_the_region_and_the_carrier_only():
    assert mask_id_number(CLASSMATE_ID) == "330102************"  # no birth date, no sequence, no check digit
    assert mask_id_number("330102090412017") == "330102*********"  # an old 15-digit number
    assert mask_id_number("12345") == "*****"
    assert mask_phone(CLASSMATE_PHONE) == "138********"
    assert mask_phone("") == "" and mask_id_number(None) == ""


def test_search_does_not_reveal_a_masked_id_number(client_for, viewer, admin_user, classmate):
    """Searching the list by the tail of an ID number finds only people whose number the user may read:
    otherwise a masked number could be guessed one search at a time."""
    tail = CLASSMATE_ID[-6:]
    assert "王小明" not in page(client_for(viewer), reverse("members:list"), q=tail)
    assert "王小明" in page(client_for(admin_user), reverse("members:list"), q=tail)


# --- history ----------------------------------------------------------------------------------------


def test_history_masks_id_number_and_phone_changes_for_those_who_see_them_masked(
    client_for, viewer, student_secretary, admin_user, classmate
):
    new_id = make_id_number(REGION, BORN, 99)
    classmate.id_number, classmate.phone = new_id, "13987654321"
    classmate.save()
    url = reverse("core:history", args=["members.person", classmate.pk])
    for user in (viewer, student_secretary):
        html = page(client_for(user), url)
        for full in (CLASSMATE_ID, new_id, CLASSMATE_PHONE, "13987654321"):
            assert full not in html
        assert "330102************" in html and "139********" in html
    html = page(client_for(admin_user), url)
    assert CLASSMATE_ID in html and new_id in html and "13987654321" in html


def test_history_of_a_dues_account_hides_the_pay_from_those_who_may_not_edit(client_for, orgs, viewer, admin_user):
    account = DuesAccountFactory(
        person=f.person(orgs.group1, name="王建国"), base_pay=Decimal("6543.21"), starts_on=date(2024, 1, 1)
    )
    account.base_pay = Decimal("7012.34")
    account.save()
    url = reverse("core:history", args=["finance.duesaccount", account.pk])
    html = page(client_for(viewer), url)
    assert "6543.21" not in html and "7012.34" not in html
    assert "7012.34" in page(client_for(admin_user), url)


# --- every export is logged -------------------------------------------------------------------------


@pytest.fixture
def exports_data(orgs, classmate, admin_user):
    fund = AidFundFactory(organization=orgs.league)
    finance_services.fund_donation_record(
        fund=fund, amount=Decimal("500.00"), on=date(2024, 3, 1), donor_name="校友会", by=admin_user
    )
    account = DuesAccountFactory(
        person=f.person(orgs.group1, name="王建国", political_status=PoliticalStatus.FULL_MEMBER),
        starts_on=date(2024, 1, 1),
    )
    finance_services.dues_payment_record(
        account=account, months=[date(2024, 1, 1)], paid_on=date(2024, 1, 5), by=admin_user
    )
    ActivityFactory(organization=orgs.class1, starts_on=date(timezone.localdate().year, 1, 10))
    return fund


@pytest.mark.parametrize(
    ("export", "url", "query"),
    [
        ("members", lambda fund: reverse("members:export"), "category=student"),
        ("finance.ledger", lambda fund: reverse("finance:ledger_export", args=[fund.pk]), "period=all"),
        ("finance.arrears", lambda fund: reverse("finance:arrears_export"), "all=1"),
        ("finance.dues", lambda fund: reverse("finance:dues_export"), "year=2024"),
        ("activities", lambda fund: reverse("activities:export"), ""),
    ],
)
def test_every_export_writes_an_audit_entry(client_for, admin_user, exports_data, export, url, query):
    path = url(exports_data)
    response = client_for(admin_user).get(f"{path}?{query}", REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    rows = load_workbook(BytesIO(response.content)).worksheets[0].max_row - 1
    log = ExportLog.objects.get()
    assert (log.user, log.export, log.ip_address) == (admin_user, export, "10.9.8.7")
    assert log.filters == f"{path}?{query}".rstrip("?")
    assert log.rows >= 1 and log.rows in (rows, rows - 1)  # the activities sheet ends with a Total row
