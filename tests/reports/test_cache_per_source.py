"""Figures cached per source and organization subtree (core.datacache, reports.figures): a change shows on the
very next compile, recomputes only the sources that read the changed table, and only for the school (or
branch) it concerns."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Category
from branches.models import Organization, OrgKind
from branches.periods import calendar_year
from meetings.models import MeetingKind
from meetings.services import meeting_create
from reports.selectors import live_figures
from tests.activities.factories import ActivityFactory
from tests.factories import MeetingFactory, PersonFactory
from tests.reports.conftest import YEAR, at, build_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    settings.PARTYLEAGUE_CACHE_SECONDS = 3600
    cache.clear()
    yield
    cache.clear()


def value(root, key, period=YEAR):
    return live_figures(root, period)["figures"][key]["value"]


def reading(captured, table: str) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if f'"{table}"' in q["sql"]]


def test_a_meeting_recorded_through_the_service_counts_at_once(orgs, caching):
    build_year(orgs)
    assert value(orgs.school, "meetings.kind.party_class") == 2
    assert value(orgs.branch2, "meetings.kind.party_class") == 0
    meeting = MeetingFactory.build(organization=orgs.group2, kind=MeetingKind.PARTY_CLASS, starts_at=at(2025, 6, 6))
    meeting_create(meeting=meeting)
    assert value(orgs.school, "meetings.kind.party_class") == 3
    assert value(orgs.branch2, "meetings.kind.party_class") == 1
    assert value(orgs.branch1, "meetings.kind.party_class") == 2  # a sibling branch: unchanged, still right


def test_changing_an_activity_keeps_the_meeting_figures_in_use(orgs, caching, django_assert_max_num_queries):
    build_year(orgs)
    activity = ActivityFactory(organization=orgs.class1, starts_on=date(2025, 4, 1), category=Category.CAMPUS_CULTURE)
    before = live_figures(orgs.school, YEAR)
    assert before["figures"]["activities.category.volunteer"]["value"] == 0
    activity.category = Category.VOLUNTEER
    activity.save()
    with CaptureQueriesContext(connection) as captured:
        after = live_figures(orgs.school, YEAR)
    assert after["figures"]["activities.category.volunteer"]["value"] == 1
    assert after["figures"]["meetings.kind.party_class"] == before["figures"]["meetings.kind.party_class"]
    # The meeting figures, the votes and the frequency check are served from the cache: no query reads them.
    assert reading(captured, "meetings_meeting") == []
    assert reading(captured, "meetings_vote") == []
    assert reading(captured, "members_person") == []
    # The high-water marks, placing the changed activity in the tree (its history, the activity, the
    # organization), and the activities source and its two tables (series, places).
    assert len(captured) <= 10, [q["sql"][:100] for q in captured.captured_queries]


def test_a_change_in_another_school_leaves_this_schools_figures_warm(orgs, caching):
    build_year(orgs)
    first = live_figures(orgs.school, YEAR)
    other_branch = Organization.objects.get(name="城北党支部")
    MeetingFactory(organization=other_branch, kind=MeetingKind.PARTY_CLASS, starts_at=at(2025, 7, 7))
    with CaptureQueriesContext(connection) as captured:
        again = live_figures(orgs.school, YEAR)
    assert again["figures"] == first["figures"]
    assert reading(captured, "meetings_meeting") == []  # nothing recomputed
    # The high-water marks and placing the new meeting (its history, its organization).
    assert len(captured) <= 3, [q["sql"][:100] for q in captured.captured_queries]
    # …while the other school's own figures show it.
    assert value(other_branch.parent, "meetings.kind.party_class") == 2


def test_a_person_moved_to_another_class_leaves_the_first_class_figures(orgs, caching):
    """The history row of a move names the new class only: the earlier version names the one left."""
    period = calendar_year(timezone.localdate().year)
    person = PersonFactory(organization=orgs.class1, political_status="full_member")
    assert value(orgs.class1, "people.full_member", period) == 1
    assert value(orgs.class2, "people.full_member", period) == 0
    person.organization = orgs.class2
    person.save()
    assert value(orgs.class1, "people.full_member", period) == 0
    assert value(orgs.class2, "people.full_member", period) == 1


def test_a_source_served_from_the_cache_still_ties_the_whole_compile_to_its_tables(orgs, caching):
    """A meeting recompiles the summary; the activities part is served from the cache in that compile, and
    a change to an activity afterwards must still recompile it."""
    build_year(orgs)
    activity = ActivityFactory(organization=orgs.class1, starts_on=date(2025, 4, 1), category=Category.CAMPUS_CULTURE)
    live_figures(orgs.school, YEAR)
    MeetingFactory(organization=orgs.group2, kind=MeetingKind.PARTY_CLASS, starts_at=at(2025, 6, 6))
    assert value(orgs.school, "meetings.kind.party_class") == 3
    activity.category = Category.VOLUNTEER
    activity.save()
    assert value(orgs.school, "activities.category.volunteer") == 1


def test_a_change_to_the_organization_tree_shows(orgs, caching):
    build_year(orgs)
    assert value(orgs.school, "orgs.league_branch") == 2
    Organization.objects.create(name="高一（3）班团支部", kind=OrgKind.LEAGUE_BRANCH, parent=orgs.league)
    assert value(orgs.school, "orgs.league_branch") == 3


def test_figures_compiled_for_a_snapshot_are_never_taken_from_the_cache(orgs, caching):
    """`compile_figures` outside a cached result (a summary's frozen snapshot) reads the records."""
    from reports.figures import compile_figures

    build_year(orgs)
    live_figures(orgs.school, YEAR)
    with CaptureQueriesContext(connection) as captured:
        compiled = compile_figures(orgs.school, YEAR)
    assert compiled["figures"]["meetings.kind.party_class"]["value"] == 2
    assert reading(captured, "meetings_meeting")


def test_the_due_list_stays_cached_after_a_change_in_another_school(orgs, caching, branch_secretary):
    from reports.due import collect

    other = Organization.objects.create(name="城北中学", kind=OrgKind.SCHOOL)
    other_branch = Organization.objects.create(name="城北党支部", kind=OrgKind.PARTY_BRANCH, parent=other)
    first = collect(branch_secretary)
    assert first  # this quarter's meetings are missing
    MeetingFactory(organization=other_branch, kind=MeetingKind.PARTY_CLASS, starts_at=timezone.now())
    with CaptureQueriesContext(connection) as captured:
        again = collect(branch_secretary)
    assert again == first
    assert reading(captured, "meetings_meeting") == []
    # …and a meeting of the secretary's own branch takes its item off at once.
    MeetingFactory(organization=orgs.branch1, kind=MeetingKind.PARTY_CLASS, starts_at=timezone.now())
    titles = {i.title for i in collect(branch_secretary)}
    assert not any(t.startswith(f"{orgs.branch1.name}: Party class for Q") for t in titles)
    assert any(t.startswith(f"{orgs.branch1.name}: Party class for Q") for t in (i.title for i in first))
