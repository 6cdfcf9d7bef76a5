"""The Due list is cached per provider (reports.due, core.datacache): a meeting recorded through the meetings
service shows in the list at once, and recomputes the meetings' items only — the members' and the fund's are
served from the cache."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.periods import calendar_year
from meetings.models import MeetingKind
from meetings.services import meeting_create
from reports import due
from reports.selectors import live_figures
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    settings.PARTYLEAGUE_CACHE_SECONDS = 3600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def calls(monkeypatch):
    """How many times each provider computed its items."""
    counted: dict[str, int] = {}
    for path in due.DUE_PROVIDERS:
        provider = due._load(path)

        def counting(user, today, provider=provider, path=path):
            counted[path] = counted.get(path, 0) + 1
            return provider(user, today)

        module, name = path.rsplit(".", 1)
        monkeypatch.setattr(f"{module}.{name}", counting)
    return counted


def party_class_due(items, org) -> bool:
    return any(i.title.startswith(f"{org.name}: Party class for Q") for i in items)


def test_a_meeting_recomputes_only_the_meetings_items_and_shows_at_once(orgs, caching, calls, branch_secretary):
    first = due.collect(branch_secretary)
    assert party_class_due(first, orgs.branch1)
    assert calls == dict.fromkeys(due.DUE_PROVIDERS, 1)
    meeting = MeetingFactory.build(organization=orgs.branch1, kind=MeetingKind.PARTY_CLASS, starts_at=timezone.now())
    meeting_create(meeting=meeting)
    again = due.collect(branch_secretary)
    assert not party_class_due(again, orgs.branch1)
    assert calls == {
        "members.selectors.due_items": 1,
        "meetings.selectors.due_items": 2,
        "finance.selectors.due_items": 1,
    }
    assert [i for i in first if i.category != "Meeting due"] == [i for i in again if i.category != "Meeting due"]


def test_the_dashboard_after_a_meeting_shows_it_in_the_figures_and_the_due_list(
    orgs, caching, calls, party_secretary, client_for
):
    """The dashboard's first request after a meeting recorded through the service: the party-class tile
    counts it and its Due item is gone, while the members' and the fund's items come from the cache."""
    client = client_for(party_secretary)

    def dashboard():
        response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        tiles = {t["key"]: t["value"] for t in response.context["blocks"][0]["tiles"]}
        return tiles["meetings.kind.party_class"], response.context["due_items"], response.context["due_count"]

    classes, items, count = dashboard()
    assert party_class_due(items, orgs.branch1) or count > len(items)
    meeting = MeetingFactory.build(organization=orgs.branch1, kind=MeetingKind.PARTY_CLASS, starts_at=timezone.now())
    meeting_create(meeting=meeting)
    classes_after, items_after, count_after = dashboard()
    assert int(classes_after) == int(classes) + 1
    assert count_after < count
    assert not party_class_due(due.collect(party_secretary), orgs.branch1)
    assert calls["members.selectors.due_items"] == 1
    assert calls["finance.selectors.due_items"] == 1
    assert calls["meetings.selectors.due_items"] == 2


def frequency_queries(captured) -> list[str]:
    """The frequency check's aggregate of meetings held (meetings.frequency), by organization and month."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if '"meetings_meeting"' in q["sql"] and "GROUP BY" in q["sql"] and "given_by_secretary" in q["sql"]
    ]


def test_the_dashboard_counts_meetings_for_the_frequency_check_once_per_change(
    orgs, caching, party_secretary, client_for
):
    """The summary's frequency check and the Due list's meeting items share one count of the meetings held:
    after a meeting, the dashboard's first request counts them once, and both show the meeting."""
    client = client_for(party_secretary)
    client.get(reverse("dashboard"))
    meeting = MeetingFactory.build(organization=orgs.branch1, kind=MeetingKind.PARTY_CLASS, starts_at=timezone.now())
    meeting_create(meeting=meeting)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard"))
    assert len(frequency_queries(captured)) == 1
    assert not party_class_due(due.collect(party_secretary), orgs.branch1)
    rows = live_figures(orgs.school, calendar_year(timezone.localdate().year))["frequency"]
    branch1_classes = [r for r in rows if r["org"] == orgs.branch1.pk and r["rule"] == "class"]
    assert branch1_classes and branch1_classes[0]["held"] >= 1
    assert response.status_code == 200
