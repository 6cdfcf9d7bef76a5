"""Query budgets: the list, place and series pages run the same number of queries at 3 and 30 rows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Category
from members.models import Category as PersonCategory
from tests.activities.factories import (
    ActivityFactory,
    HeadCountFactory,
    HonorFactory,
    ParticipationFactory,
    PlaceFactory,
    SeriesFactory,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _build(orgs, n, place, series):
    people = [PersonFactory(category=PersonCategory.STUDENT, organization=orgs.class1) for _ in range(3)]
    for i in range(n):
        a = ActivityFactory(
            organization=orgs.class1 if i % 2 else orgs.league,
            co_organizers=[orgs.class2] if i % 3 == 0 else None,
            category=list(Category)[i % len(Category)],
            place=place,
            series=series,
            starts_on=date(2026, 1, 5) + timedelta(days=i * 7 % 330),
        )
        for p in people:
            ParticipationFactory(activity=a, person=p)
        HeadCountFactory(activity=a, organization=orgs.class2, count=5)
        HonorFactory(organization=orgs.league)
        HonorFactory(organization=orgs.class1, person=people[i % 3])


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def pages(orgs):
    place = PlaceFactory(organization=orgs.league)
    series = SeriesFactory(organization=orgs.league, year=2026)
    return place, series


BUDGET = 16  # session, user, roles, posts, filter choices, 3 totals, count, rows, 2 row totals


@pytest.mark.parametrize("user_fixture", ["league_secretary", "class_secretary", "viewer"])
def test_pages_have_flat_query_counts(request, client_for, orgs, pages, user_fixture):
    user = request.getfixturevalue(user_fixture)
    client = client_for(user)
    place, series = pages
    urls = [
        (reverse("activities:list"), {}),
        (reverse("activities:list"), {"category": "volunteer", "period": "year:2026", "organizer": orgs.league.pk}),
        (reverse("activities:series_list"), {"year": 2026}),
        (reverse("activities:honor_list"), {}),
        (reverse("activities:honors_for_org", args=[orgs.class1.pk]), {}),
        (reverse("activities:place_detail", args=[place.pk]), {}),
        (reverse("activities:series_detail", args=[series.pk]), {}),
        (reverse("activities:place_list"), {}),
    ]
    _build(orgs, 3, place, series)
    small = {u + str(p): _count(client, u, p) for u, p in urls}
    _build(orgs, 27, place, series)
    large = {u + str(p): _count(client, u, p) for u, p in urls}
    assert small == large
    assert max(large.values()) <= BUDGET, large
    # Pages list rows: the larger data set really is on them.
    assert client.get(reverse("activities:list")).context["page_obj"].paginator.count >= 10


def test_detail_query_count_is_flat(client_for, league_secretary, orgs, pages):
    place, series = pages
    client = client_for(league_secretary)
    a = ActivityFactory(organization=orgs.league, place=place, series=series, co_organizers=[orgs.class1])
    people = [PersonFactory(category=PersonCategory.STUDENT, organization=orgs.class1) for _ in range(30)]
    ParticipationFactory(activity=a, person=people[0])
    url = reverse("activities:detail", args=[a.pk])
    small = _count(client, url)
    for p in people[1:]:
        ParticipationFactory(activity=a, person=p)
    HeadCountFactory(activity=a, organization=orgs.class2)
    assert _count(client, url) == small <= BUDGET
