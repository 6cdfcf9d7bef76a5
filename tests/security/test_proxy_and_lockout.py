"""Behind nginx every request comes from 127.0.0.1: the audit trail recorded the proxy, and the login lockout,
keyed on (username, address), let anyone lock any account with five wrong passwords. The client's address
is now read from X-Forwarded-For when, and only when, the peer is a trusted proxy (core.clientip), the same
address for the audit trail and the lockout; the lockout (core.lockout) is per account *from one address*
and per address over all accounts."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from branches.models import Organization, OrgKind
from core.audit import client_ip
from tests.core.test_settings import run_python
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
TEACHER_HOME = "203.0.113.7"
ATTACKER = "198.51.100.66"
PASSWORD = "pass12345"  # the factories' password


@pytest.fixture
def behind_proxy(settings):
    settings.PARTYLEAGUE_TRUSTED_PROXIES = [PROXY, "::1"]


def via_proxy(address: str, client_sent: str = "") -> dict:
    """The request headers nginx passes on: it appends the address it saw to what the client sent."""
    forwarded = f"{client_sent}, {address}" if client_sent else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def ip_of(**meta) -> str | None:
    return client_ip(RequestFactory().get("/", **meta))


# --- The client's address ---------------------------------------------------------------------------------


def test_the_audit_trail_records_the_client_behind_the_proxy_not_the_proxy(
    client_for, orgs, league_secretary, behind_proxy
):
    data = {"parent": orgs.league.pk, "kind": OrgKind.LEAGUE_BRANCH, "name": "高二（5）班团支部"}
    data |= {"grade": 2025, "class_number": 5, "sort_order": 0}
    client_for(league_secretary).post(reverse("branches:create"), data, **via_proxy(TEACHER_HOME))
    org = Organization.objects.get(name="高二（5）班团支部")
    assert org.history.get().ip_address == TEACHER_HOME


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(behind_proxy):
    assert ip_of(**via_proxy(TEACHER_HOME)) == TEACHER_HOME
    # A client connecting directly cannot choose its address by sending the header itself.
    assert ip_of(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=TEACHER_HOME) == ATTACKER


def test_a_client_cannot_forge_its_address_through_the_proxy(behind_proxy):
    """nginx appends the address it saw; what the client wrote is to its left and is not believed, not even
    the proxy's own address."""
    assert ip_of(**via_proxy(ATTACKER, client_sent=TEACHER_HOME)) == ATTACKER
    assert ip_of(**via_proxy(ATTACKER, client_sent=f"{PROXY}, {PROXY}")) == ATTACKER
    assert ip_of(**via_proxy(ATTACKER, client_sent="not-an-address")) == ATTACKER


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.PARTYLEAGUE_TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]
    # client → load balancer (10.0.0.5) → nginx → app
    assert ip_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{TEACHER_HOME}, 10.0.0.5") == TEACHER_HOME
    assert ip_of(REMOTE_ADDR="::ffff:127.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8::7") == "2001:db8::7"
    # Something on the server itself, through nginx: every hop is trusted, the left-most is the client.
    assert ip_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.0.0.9, 10.0.0.5") == "10.0.0.9"


def test_production_trusts_the_local_proxy_and_refuses_a_malformed_entry():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.production'; django.setup();"
        "from django.conf import settings; print(settings.PARTYLEAGUE_TRUSTED_PROXIES)"
    )
    env = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.cn"}
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['127.0.0.1', '::1']"
    result = run_python(code, **env, PARTYLEAGUE_TRUSTED_PROXIES="10.0.0.0/8,nginx.local")
    assert result.returncode != 0 and "nginx.local" in result.stderr


# --- The lockout ------------------------------------------------------------------------------------------


@pytest.fixture
def axes_on(settings, behind_proxy):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.PARTYLEAGUE_ADDRESS_FAILURE_LIMIT = 8
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None  # re-read settings
    yield
    AxesProxyHandler.implementation = None


def login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, **via_proxy(address))


def test_an_outsider_cannot_lock_a_teacher_out(client, axes_on):
    UserFactory(username="teacher")
    for _ in range(6):
        login(client, "teacher", "wrong", ATTACKER)
    assert login(client, "teacher", PASSWORD, ATTACKER).status_code == 429  # the attacker's address is locked
    response = login(client, "teacher", PASSWORD, TEACHER_HOME)
    assert response.status_code == 302, "the teacher, from their own address, signs in"


def test_one_address_trying_many_accounts_is_locked_until_the_cool_off(client, axes_on):
    UserFactory(username="teacher")
    for n in range(8):  # a password sprayer: 1 try each on 8 accounts, never 5 on one
        login(client, f"user{n}", "123456", ATTACKER)
    assert login(client, "teacher", PASSWORD, ATTACKER).status_code == 429
    assert login(client, "teacher", PASSWORD, TEACHER_HOME).status_code == 302
    # 15 minutes after the latest failure the address may try again.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.latest("attempt_time").attempt_time - timedelta(minutes=16)
    )
    client.logout()
    assert login(client, "teacher", PASSWORD, ATTACKER).status_code == 302


def test_signing_in_with_one_valid_account_does_not_clear_an_address_failures_on_others(client, axes_on):
    UserFactory(username="student")
    UserFactory(username="teacher")
    for n in range(7):
        login(client, f"user{n}", "123456", ATTACKER)
    assert login(client, "student", PASSWORD, ATTACKER).status_code == 302
    client.logout()
    login(client, "user7", "123456", ATTACKER)  # the eighth failure from the address
    assert login(client, "teacher", PASSWORD, ATTACKER).status_code == 429
