from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.models import CalendarToken
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(orgs):
    soon = timezone.now() + timedelta(days=3)
    return {
        "own": MeetingFactory(
            organization=orgs.branch1,
            kind="theme_party_day",
            topic="参观革命纪念馆, 重温入党誓词",
            starts_at=soon,
            place="烈士陵园",
        ),
        "other": MeetingFactory(
            organization=orgs.branch2, kind="branch_committee", topic="第二支部支委会", starts_at=soon
        ),
        "old": MeetingFactory(
            organization=orgs.branch1, kind="branch_committee", topic="很久以前", starts_at=soon - timedelta(days=400)
        ),
    }


def feed(token):
    return Client().get(reverse("meetings:ical_feed", args=[token]))


def test_feed_lists_the_users_upcoming_meetings_without_login(client_for, branch_secretary, upcoming):
    client_for(branch_secretary).post(reverse("meetings:feed"), {"action": "regenerate"})
    token = CalendarToken.objects.get(user=branch_secretary).token
    r = feed(token)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    body = r.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    unfolded = body.replace("\r\n ", "")
    assert f"UID:meeting-{upcoming['own'].pk}@" in unfolded
    assert "参观革命纪念馆\\, 重温入党誓词" in unfolded  # commas escaped
    assert "LOCATION:烈士陵园" in unfolded
    assert "第二支部支委会" not in unfolded  # another branch: not the token user's to see
    assert "很久以前" not in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_regenerating_revokes_the_old_url_and_revoking_turns_it_off(client_for, branch_secretary, upcoming):
    c = client_for(branch_secretary)
    c.post(reverse("meetings:feed"), {"action": "regenerate"})
    old = CalendarToken.objects.get(user=branch_secretary).token
    c.post(reverse("meetings:feed"), {"action": "regenerate"})
    new = CalendarToken.objects.get(user=branch_secretary).token
    assert old != new
    assert feed(old).status_code == 404 and feed(new).status_code == 200
    c.post(reverse("meetings:feed"), {"action": "revoke"})
    assert feed(new).status_code == 404


def test_unknown_token_and_inactive_user_get_404(branch_secretary, upcoming):
    assert feed("nonsense").status_code == 404
    tok = CalendarToken.objects.create(user=branch_secretary)
    branch_secretary.is_active = False
    branch_secretary.save()
    assert feed(tok.token).status_code == 404


def test_feed_page_shows_the_address(client_for, branch_secretary):
    c = client_for(branch_secretary)
    assert "Turn on the calendar feed" in c.get(reverse("meetings:feed")).content.decode()
    c.post(reverse("meetings:feed"), {"action": "regenerate"})
    token = CalendarToken.objects.get(user=branch_secretary).token
    assert token in c.get(reverse("meetings:feed")).content.decode()
