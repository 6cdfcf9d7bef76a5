"""Dates outside 1900-01-01..2100-12-31 are refused by every form and ignored in query strings.

0001-01-01 00:00 in Shanghai is a BC timestamp in UTC: PostgreSQL stores it, Python cannot read it back,
and every page showing the meeting and the whole backup failed (SQLite refused with a 500 at once)."""

import copy
from datetime import date
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from branches.periods import Period, calendar_year
from core.forms import DateRangeMixin
from meetings.models import Meeting

RANGE_MESSAGE = "Enter a date between 1900-01-01 and 2100-12-31."


def _project_apps() -> list[str]:
    root = Path(settings.BASE_DIR).resolve()
    return [
        app.name
        for app in apps.get_app_configs()
        if root in Path(app.path).resolve().parents and ".venv" not in Path(app.path).parts
    ]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class the project defines (its apps' forms modules and whatever they import)."""
    names = _project_apps()
    for name in names:
        if find_spec(f"{name}.forms"):
            import_module(f"{name}.forms")
    found = {c for c in _subclasses(forms.BaseForm) if c.__module__.split(".")[0] in names}
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def date_fields(form_class) -> dict[str, forms.Field]:
    return {
        name: f
        for name, f in form_class.base_fields.items()
        if isinstance(f, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField)
    }


DATED_FORMS = [c for c in project_forms() if date_fields(c)]


def test_the_walk_finds_the_forms_that_take_dates():
    names = {c.__name__ for c in DATED_FORMS}
    expected = {"MeetingForm", "StepForm", "ArrivalForm", "DonationForm", "PaymentForm", "SummaryCreateForm"}
    assert expected <= names
    assert {"OrganizationForm", "OfficerForm", "PersonForm", "ActivityForm", "HonorForm"} <= names


@pytest.mark.parametrize("form_class", DATED_FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_form_refuses_dates_out_of_range(form_class):
    assert issubclass(form_class, DateRangeMixin), (
        f"{form_class.__qualname__} takes dates: put core.forms.DateRangeMixin first in its bases"
    )
    # The form's own __init__ needs its view's context (an organization, a person…): build the fields alone
    # and let the mixin guard them as it does when the form is created and cleaned.
    form = form_class.__new__(form_class)
    form.fields = copy.deepcopy(form_class.base_fields)
    form._guard_dates()
    for name, field in date_fields(form_class).items():
        field = form.fields[name]
        for bad in ("0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"):
            with pytest.raises(ValidationError) as refused:
                field.clean(bad)
            assert [e.code for e in refused.value.error_list] == ["date_range"], (name, bad)
            assert str(refused.value.messages[0]) == RANGE_MESSAGE
        assert field.clean("2026-03-10") is not None
        assert field.clean("1900-01-01") is not None
        assert field.clean("2100-12-31") is not None


@pytest.mark.django_db
def test_meeting_dated_year_one_is_refused_with_a_message(client_for, branch_secretary, orgs):
    url = reverse("meetings:create") + f"?org={orgs.branch1.pk}&kind=branch_committee"
    data = {"kind": "branch_committee", "topic": "补录", "starts_at": "0001-01-01T00:00"}
    r = client_for(branch_secretary).post(url, data)
    assert r.status_code == 200
    assert RANGE_MESSAGE in r.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_meeting_ending_in_year_9999_is_refused(client_for, branch_secretary, orgs):
    url = reverse("meetings:create") + f"?org={orgs.branch1.pk}&kind=branch_committee"
    data = {"kind": "branch_committee", "topic": "x", "starts_at": "2026-04-08T15:30", "ends_at": "9999-12-31T23:59"}
    r = client_for(branch_secretary).post(url, data)
    assert r.status_code == 200 and RANGE_MESSAGE in r.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_date_pickers_carry_the_range(client_for, branch_secretary, orgs):
    page = client_for(branch_secretary).get(
        reverse("meetings:create") + f"?org={orgs.branch1.pk}&kind=branch_committee"
    )
    starts = str(page.context["form"]["starts_at"])
    assert 'min="1900-01-01T00:00"' in starts and 'max="2100-12-31T23:59"' in starts


@pytest.mark.django_db
def test_summary_custom_range_in_year_one_is_refused(client_for, league_secretary, orgs):
    from reports.forms import SummaryCreateForm
    from reports.models import Summary

    form = SummaryCreateForm(
        {"organization": orgs.league.pk, "period": "custom", "start": "0001-01-01", "end": "2026-01-01"},
        organizations=type(orgs.league).objects.filter(pk=orgs.league.pk),
    )
    assert not form.is_valid()
    assert form.errors["start"] == [RANGE_MESSAGE]
    assert not Summary.objects.exists()


@pytest.mark.parametrize(
    "key", ["custom:0001-01-01..0001-01-02", "custom:1899-12-31..2026-01-01", "custom:2026-01-01..9999-12-31"]
)
def test_period_out_of_range_falls_back_to_this_year(key):
    assert Period.parse(key, today=date(2026, 5, 1)) == calendar_year(2026)


def test_period_at_the_range_edges_is_read():
    assert Period.parse("custom:1900-01-01..2100-12-31").days == (date(2100, 12, 31) - date(1900, 1, 1)).days + 1


LIST_PAGES = [
    ("meetings:list", {"period": "custom:0001-01-01..0001-01-02"}),
    ("meetings:list", {"period": "custom:9999-12-30..9999-12-31"}),
    ("meetings:frequency", {"period": "custom:0001-01-01..0001-01-02"}),
    ("meetings:calendar", {"month": "1-1"}),
    ("meetings:calendar", {"month": "9999-12"}),
    ("activities:list", {"period": "custom:0001-01-01..0001-01-02"}),
    ("activities:export", {"period": "custom:0001-01-01..0001-01-02"}),
    ("dashboard", {"period": "custom:0001-01-01..0001-01-02"}),
    ("finance:dues_export", {"period": "custom:0001-01-01..0001-01-02"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), LIST_PAGES, ids=lambda v: v if isinstance(v, str) else "")
def test_list_filters_ignore_dates_out_of_range(client_for, party_secretary, name, params):
    r = client_for(party_secretary).get(reverse(name), params)
    assert r.status_code == 200
