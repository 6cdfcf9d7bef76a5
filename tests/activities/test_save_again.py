"""A refused stale edit can be saved again on purpose: the refusal page carries the version now saved."""

import pytest
from django.urls import reverse

from activities.models import Activity
from tests.activities.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_saving_again_after_a_stale_refusal_goes_through(client_for, class_secretary, orgs):
    client = client_for(class_secretary)
    activity = ActivityFactory(organization=orgs.class1, title="敬老院志愿服务")
    form = client.get(reverse("activities:edit", args=[activity.pk])).context["form"]
    data = {
        "title": "清明祭扫",
        "category": activity.category,
        "organization": orgs.class1.pk,
        "starts_on": "2026-04-03",
        "service_hours": "2",
        "record_version": form["record_version"].value(),
    }
    # Someone else saves first.
    Activity.objects.filter(pk=activity.pk).update(version=form["record_version"].value() + 1)
    refused = client.post(reverse("activities:edit", args=[activity.pk]), data)
    assert refused.status_code == 200 and "Someone else saved" in refused.content.decode()
    again = {**data, "record_version": refused.context["form"]["record_version"].value()}
    assert client.post(reverse("activities:edit", args=[activity.pk]), again).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "清明祭扫"
