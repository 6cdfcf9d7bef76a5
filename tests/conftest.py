"""The fixed cast every test can use (STYLE.md): a school with Party and League trees, and users in each
role — including the secretary of *another* branch (the outsider) and a read-only viewer."""

import os
import shutil
from dataclasses import dataclass

import pytest

from branches.models import Organization, OrgKind
from branches.permissions import Role
from tests.factories import OfficerFactory, UserFactory


@dataclass
class School:
    school: Organization
    general: Organization
    branch1: Organization
    branch2: Organization
    group1: Organization
    group2: Organization
    league: Organization
    class1: Organization
    class2: Organization


def build_school(name="城南中学") -> School:
    mk = Organization.objects.create
    school = mk(name=name, kind=OrgKind.SCHOOL)
    general = mk(name="党总支", kind=OrgKind.PARTY_GENERAL_BRANCH, parent=school)
    branch1 = mk(name="第一党支部", kind=OrgKind.PARTY_BRANCH, parent=general)
    branch2 = mk(name="第二党支部", kind=OrgKind.PARTY_BRANCH, parent=general)
    group1 = mk(name="第一党小组", kind=OrgKind.PARTY_GROUP, parent=branch1)
    group2 = mk(name="第二党小组", kind=OrgKind.PARTY_GROUP, parent=branch2)
    league = mk(name="校团委", kind=OrgKind.LEAGUE_COMMITTEE, parent=school)
    class1 = mk(name="高一（1）班团支部", kind=OrgKind.LEAGUE_BRANCH, parent=league, grade=2026, class_number=1)
    class2 = mk(name="高一（2）班团支部", kind=OrgKind.LEAGUE_BRANCH, parent=league, grade=2026, class_number=2)
    return School(school, general, branch1, branch2, group1, group2, league, class1, class2)


@pytest.fixture
def orgs(db) -> School:
    return build_school()


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin", roles=[Role.ADMINISTRATOR])
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def party_secretary(orgs):
    user = UserFactory(username="party", roles=[Role.PARTY_SECRETARY])
    OfficerFactory(organization=orgs.general, user=user)
    return user


@pytest.fixture
def league_secretary(orgs):
    user = UserFactory(username="league", roles=[Role.LEAGUE_SECRETARY])
    OfficerFactory(organization=orgs.league, user=user)
    return user


@pytest.fixture
def branch_secretary(orgs):
    """Secretary of the First Party branch."""
    user = UserFactory(username="branch1", roles=[Role.BRANCH_SECRETARY])
    OfficerFactory(organization=orgs.branch1, user=user)
    return user


@pytest.fixture
def outsider(orgs):
    """Secretary of the Second Party branch: must not see or touch the First branch's records."""
    user = UserFactory(username="branch2", roles=[Role.BRANCH_SECRETARY])
    OfficerFactory(organization=orgs.branch2, user=user)
    return user


@pytest.fixture
def class_secretary(orgs):
    """Secretary of the 高一（1）班 League branch."""
    user = UserFactory(username="class1", roles=[Role.BRANCH_SECRETARY])
    OfficerFactory(organization=orgs.class1, user=user)
    return user


@pytest.fixture
def other_class_secretary(orgs):
    user = UserFactory(username="class2", roles=[Role.BRANCH_SECRETARY])
    OfficerFactory(organization=orgs.class2, user=user)
    return user


@pytest.fixture
def viewer(orgs):
    return UserFactory(username="leader", roles=[Role.VIEWER])


@pytest.fixture
def norole_user(db):
    return UserFactory(username="nobody")


@pytest.fixture
def client_for(client):
    """`client_for(user)` → a test client logged in as `user`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests assert English messages unless they ask for Chinese (the UI default is zh-hans)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def chromium_path() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


def pytest_collection_modifyitems(config, items):
    """Browser journeys run when Chromium is present; in CI (PARTYLEAGUE_REQUIRE_BROWSER) its absence is
    an error, never a silent skip."""
    if chromium_path():
        return
    if os.environ.get("PARTYLEAGUE_REQUIRE_BROWSER"):
        raise pytest.UsageError("Chromium is required for the browser tests but /usr/bin/chromium is missing.")
    skip = pytest.mark.skip(reason="Chromium not installed (make system-deps installs it)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)
