"""Planned meetings (starting after now) are recorded ahead but count nowhere: the meeting list and the
calendar mark them with a "Planned" badge, and the list's totals line counts the meetings held and names the
planned ones apart."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from meetings.selectors import meeting_totals
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(orgs):
    now = timezone.now()
    held = [
        MeetingFactory(organization=orgs.branch1, topic=f"已召开{i}", starts_at=now - timedelta(days=2 + i))
        for i in range(2)
    ]
    planned = MeetingFactory(organization=orgs.branch1, topic="下月支委会", starts_at=now + timedelta(days=3))
    return held, planned


def _row(html: str, topic: str) -> str:
    return next(row for row in html.split("<tr>") if topic in row)


def test_list_marks_planned_meetings_and_counts_only_those_held(client_for, party_secretary, meetings):
    held, planned = meetings
    first = timezone.localtime(held[1].starts_at).date()
    period = f"custom:{first.isoformat()}..{timezone.localtime(planned.starts_at).date().isoformat()}"
    html = client_for(party_secretary).get(reverse("meetings:list"), {"period": period}).content.decode()
    assert "Planned" in _row(html, planned.topic)
    assert "Planned" not in _row(html, held[0].topic)
    totals = re.search(r'id="meeting-totals">(.*?)</p>', html, re.S).group(1)
    assert "2 meetings held" in totals and "1 planned meeting" in totals


def test_calendar_marks_planned_meetings(client_for, party_secretary, meetings):
    _held, planned = meetings
    day = timezone.localtime(planned.starts_at)
    html = client_for(party_secretary).get(reverse("meetings:calendar"), {"month": f"{day.year}-{day.month}"})
    item = re.search(r'<a class="cal-item[^"]*"[^>]*title="[^"]*下月支委会"[^>]*>.*?</a>', html.content.decode(), re.S)
    assert "is-planned" in item.group(0) and "Planned" in item.group(0)


def test_totals_count_held_and_planned_apart(meetings):
    assert meeting_totals(Meeting.objects.all()) == {"held": 2, "planned": 1}
