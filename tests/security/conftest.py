"""The demo school, loaded once per module, for the permission matrix and the junk-input test.

`seed_demo` runs inside an outer transaction that is rolled back when the module ends; each test uses
`db`, which nests a savepoint in it, so a test that deletes or finalizes something leaves the school
intact for the next one. `Demo` names the roles, the organizations and one object per URL, each owned
by a known organization."""

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from activities.models import Activity, HeadCount, Honor, Photo, Place, Series
from branches.models import Organization, OrgKind
from finance.models import AidFund, DuesAccount, DuesPayment, FundEntry
from meetings.models import CalendarToken, MeetingAttachment, Vote
from members import roster
from members.models import Assessment, Person, Recommendation, RosterImport, StatusEvent
from reports.models import Summary, SummaryStatus
from tests.activities.factories import ParticipationFactory, PlaceFactory
from tests.factories import UserFactory
from tests.finance.factories import AidFundFactory, DriveFactory

# The roles of the matrix, in the order the report reads them.
ROLES = ("admin", "party", "league", "class", "branch2", "branch1", "leader", "norole", "anon")

# Small valid files, written into each test's MEDIA_ROOT (the autouse `_media_in_tmp` gives every test its
# own): the records point at them by name.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
FILES = {
    "security/document.pdf": PDF,
    "security/attachment.pdf": PDF,
    "security/certificate.pdf": PDF,
    "security/photo.png": PNG,
}

# Project apps whose tables the "nothing changed" check counts (historical tables included).
PROJECT_APPS = ("core", "branches", "members", "meetings", "activities", "finance", "reports")


@dataclass
class Demo:
    users: dict = field(default_factory=dict)  # role -> User (anon: None)
    orgs: dict = field(default_factory=dict)  # key -> Organization
    objs: dict = field(default_factory=dict)  # key -> model instance
    sessions: dict = field(default_factory=dict)  # role -> session key, made once per module

    def login(self, client, role: str):
        """Sign `client` in as `role` with the module's session (cheaper than a login per request)."""
        if self.sessions.get(role):
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def _org(**lookup) -> Organization:
    return Organization.objects.get(**lookup)


def _build() -> Demo:
    d = Demo()
    d.users = {
        "admin": User.objects.get(username="admin"),
        "party": User.objects.get(username="party"),
        "league": User.objects.get(username="league"),
        "class": User.objects.get(username="class"),
        "branch2": User.objects.get(username="branch2"),
        "branch1": User.objects.get(username="branch1"),
        "leader": User.objects.get(username="leader"),
        "norole": UserFactory(username="nobody"),
        "anon": None,
    }
    o = d.orgs
    o["school"] = _org(kind=OrgKind.SCHOOL)
    o["general"] = _org(kind=OrgKind.PARTY_GENERAL_BRANCH)
    o["branch1"] = _org(kind=OrgKind.PARTY_BRANCH, name__startswith="第一党支部")
    o["group1"] = _org(kind=OrgKind.PARTY_GROUP, parent=o["branch1"], name="语文数学党小组")
    o["branch2"] = _org(kind=OrgKind.PARTY_BRANCH, name__startswith="第二党支部")
    o["league"] = _org(kind=OrgKind.LEAGUE_COMMITTEE)
    o["class1"] = _org(name="高一（1）班团支部")
    o["class2"] = _org(name="高一（2）班团支部")
    o["class9"] = _org(name="高三（1）班团支部")

    x = d.objs
    # members: a teacher of a Party group of the First branch (not developed by another organization).
    x["person"] = (
        Person.objects.filter(organization=o["group1"], is_active=True, party_organization__isnull=True)
        .order_by("pk")
        .first()
    )
    event = x["person"].status_events.order_by("pk").first()
    StatusEvent.objects.filter(pk=event.pk).update(document="security/document.pdf")
    x["event"] = event
    # The latest step of an activist of the same group, decided by the First branch (withdrawable).
    for ev in StatusEvent.objects.filter(organization=o["branch1"], person__organization=o["group1"]).order_by("-pk"):
        if ev.person.status_events.order_by("-pk").first() == ev:
            x["withdraw_event"] = ev
            break
    x["assessment"] = Assessment.objects.filter(person__organization=o["group1"]).order_by("pk").first()
    x["recommendation"] = Recommendation.objects.filter(league_branch=o["class9"]).order_by("pk").first()
    x["roster"] = RosterImport.objects.create(
        user=d.users["admin"], filename="roster.xlsx", content=roster.template_bytes()
    )

    # meetings: a branch general meeting of the First branch with a vote.
    x["vote"] = Vote.objects.filter(meeting__organization=o["branch1"]).order_by("pk").first()
    x["meeting"] = x["vote"].meeting
    x["attachment"] = MeetingAttachment.objects.create(
        meeting=x["meeting"],
        file="security/attachment.pdf",
        original_name="签到表.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    x["token"] = CalendarToken.objects.create(user=d.users["branch1"])

    # activities: one of 高一（1）班团支部 with a head count and a named participant; one of 高一（2）班.
    def with_items(org):
        activity = HeadCount.objects.filter(activity__organization=org).order_by("pk").first().activity
        part = activity.participations.order_by("pk").first()
        if part is None:
            student = Person.objects.filter(organization=org).order_by("pk").first()
            part = ParticipationFactory(activity=activity, person=student)
        return activity, activity.head_counts.order_by("pk").first(), part

    x["activity"], x["head_count"], x["participation"] = with_items(o["class1"])
    x["other_activity"], x["other_head_count"], x["other_participation"] = with_items(o["class2"])
    x["photo"] = Photo.objects.create(activity=x["activity"], image="security/photo.png", caption="合影")
    x["place"] = Place.objects.filter(organization=o["school"]).order_by("pk").first()
    x["series"] = Series.objects.filter(organization=o["league"]).order_by("pk").first()
    honor = Honor.objects.filter(organization=o["class1"], person__isnull=True).order_by("pk").first()
    Honor.objects.filter(pk=honor.pk).update(certificate="security/certificate.pdf")
    x["honor"] = honor

    # finance: the League committee's aid fund, and a second fund (of the Second Party branch) whose
    # drive must not be reachable through the first fund's URL.
    x["fund"] = AidFund.objects.get(organization=o["league"])
    x["drive"] = x["fund"].drives.order_by("pk").first()
    x["entry"] = FundEntry.objects.filter(fund=x["fund"], kind="donation").order_by("pk").first()
    x["fund2"] = AidFundFactory(organization=o["branch2"], name="第二支部互助金")
    x["drive2"] = DriveFactory(fund=x["fund2"])
    x["account"] = DuesAccount.objects.filter(organization=o["group1"]).order_by("pk").first()
    x["payment"] = DuesPayment.objects.filter(account=x["account"], reverses__isnull=True).order_by("pk").first()

    # reports: the school's summaries.
    x["summary"] = Summary.objects.get(organization=o["school"], status=SummaryStatus.DRAFT)
    x["final_summary"] = Summary.objects.get(organization=o["school"], status=SummaryStatus.FINALIZED)

    # core: a deleted record an administrator may restore.
    gone = PlaceFactory(organization=o["school"], name="已撤销的服务点")
    gone_pk = gone.pk
    gone.delete()
    x["deleted_history_id"] = Place.history.get(id=gone_pk, history_type="-").history_id

    for role, user in d.users.items():
        if user is not None:
            c = Client()
            c.force_login(user)
            d.sessions[role] = c.cookies[settings.SESSION_COOKIE_NAME].value

    # A sanity check that every chosen object exists (a seed change must not silently empty the matrix).
    missing = [k for k, v in x.items() if v is None]
    assert not missing, f"the demo school has no {missing}"
    assert Activity.objects.filter(pk=x["activity"].pk).exists()
    return d


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The seeded demo school (rolled back at module end)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--seed", "1", stdout=io.StringIO())
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture
def demo_files(demo, settings, _media_in_tmp):
    """Write the demo's files into this test's MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT)
    for name, content in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return demo


@pytest.fixture
def fast_exports(monkeypatch):
    """These tests check who may download a summary and that junk never breaks it, not the PDF/Word
    rendering (tested in tests/reports): skip the seconds WeasyPrint takes per file."""
    from reports import exports

    monkeypatch.setattr(exports, "pdf_bytes", lambda context: b"%PDF-1.4 stub")
    monkeypatch.setattr(exports, "docx_bytes", lambda context: b"PK stub")


def table_fingerprint() -> tuple:
    """Row counts of every table of the project's apps (historical tables included) and the sum of
    `version` where a table has one: any create, update or delete through the ORM changes it. One query."""
    parts = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            parts.append(f"(SELECT COUNT(*) FROM {table})")
            if any(f.attname == "version" for f in model._meta.concrete_fields) and not model.__name__.startswith(
                "Historical"
            ):
                parts.append(f"(SELECT COALESCE(SUM(version), 0) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())
