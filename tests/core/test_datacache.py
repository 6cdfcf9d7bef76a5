"""Cached figures and Due lists (core.datacache): served from the cache while nothing they read changed,
never after a change to a record they read — a meeting recorded, edited or deleted shows on the very next
page. Per source and per school: tests/reports/test_cache_per_source.py."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from core.datacache import high_water
from meetings.models import MeetingKind
from reports.selectors import live_figures
from tests.factories import MeetingFactory
from tests.reports.conftest import YEAR, at, build_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    settings.PARTYLEAGUE_CACHE_SECONDS = 3600
    cache.clear()
    yield
    cache.clear()


def party_classes(client) -> str:
    response = client.get(reverse("dashboard"), {"period": "year:2025"})
    assert response.status_code == 200
    tiles = {t["key"]: t for t in response.context["blocks"][0]["tiles"]}
    return tiles["meetings.kind.party_class"]["value"]


def test_the_high_water_marks_move_with_every_create_edit_and_delete(orgs):
    def meetings():
        return high_water()["meetings_historicalmeeting"]

    before = meetings()
    meeting = MeetingFactory(organization=orgs.branch1)
    created = meetings()
    meeting.topic = "学习党章"
    meeting.save()
    edited = meetings()
    meeting.delete()
    deleted = meetings()
    assert before < created < edited < deleted
    assert meetings() == deleted  # reading them changes nothing


def test_figures_are_compiled_once_until_a_record_changes(orgs, caching, django_assert_max_num_queries):
    build_year(orgs)
    first = live_figures(orgs.school, YEAR)
    with django_assert_max_num_queries(1):  # the high-water marks only
        again = live_figures(orgs.school, YEAR)
    assert again == first
    assert first["figures"]["meetings.kind.party_class"]["value"] == 2
    MeetingFactory(organization=orgs.group2, kind=MeetingKind.PARTY_CLASS, starts_at=at(2025, 6, 6))
    assert live_figures(orgs.school, YEAR)["figures"]["meetings.kind.party_class"]["value"] == 3


def test_the_dashboard_shows_a_change_on_the_next_request(orgs, caching, party_secretary, client_for):
    build_year(orgs)
    client = client_for(party_secretary)
    assert party_classes(client) == "2"
    meeting = MeetingFactory(organization=orgs.group2, kind=MeetingKind.PARTY_CLASS, starts_at=at(2025, 6, 6))
    assert party_classes(client) == "3"
    meeting.kind = MeetingKind.PARTY_GROUP
    meeting.save()
    assert party_classes(client) == "2"


def test_cached_figures_are_kept_per_language(orgs, caching):
    build_year(orgs)
    with translation.override("zh-hans"):
        zh = live_figures(orgs.school, YEAR)["period"]["label"]
    with translation.override("en"):
        en = live_figures(orgs.school, YEAR)["period"]["label"]
    assert zh != en
    assert "2025" in zh and "2025" in en


def test_the_due_list_is_recomputed_after_a_change(orgs, caching, branch_secretary, client_for):
    """A branch with no Party class this quarter is on the Due list; recording one takes it off."""
    client = client_for(branch_secretary)

    def due_titles():
        return [i.title for i in client.get(reverse("reports:due")).context["page_obj"]]

    before = due_titles()
    quarter_class = [t for t in before if t.startswith(f"{orgs.branch1.name}: Party class for Q")]
    assert quarter_class  # this quarter's Party class is missing
    assert due_titles() == before  # served again, unchanged
    from django.utils import timezone

    from tests.factories import SHANGHAI

    now = timezone.now().astimezone(SHANGHAI)
    for kind in MeetingKind.values:
        MeetingFactory(organization=orgs.branch1, kind=kind, starts_at=now)
    after = due_titles()
    assert not set(quarter_class) & set(after)


def test_the_summary_pdf_is_made_once_per_version_of_its_content(
    orgs, caching, party_secretary, client_for, monkeypatch
):
    from reports import exports
    from reports.services import summary_create

    build_year(orgs)
    summary = summary_create(organization=orgs.school, period=YEAR, by=party_secretary)
    made = []
    monkeypatch.setattr(exports, "pdf_bytes", lambda context: made.append(context) or b"%PDF-" + bytes(len(made)))
    client = client_for(party_secretary)
    url = reverse("reports:pdf", args=[summary.pk])
    first = client.get(url).content
    assert client.get(url).content == first
    assert len(made) == 1
    section = summary.sections.first()
    section.narrative = "<p>本年度新增一段。</p>"
    section.save()
    assert client.get(url).content != first  # the edited section is in the new file
    assert len(made) == 2
    assert "本年度新增一段" in str([s["obj"].narrative for s in made[1]["sections"]])
