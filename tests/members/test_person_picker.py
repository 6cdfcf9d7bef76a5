"""The searchable person picker (members.widgets.PersonPicker) and its lookup (members:person_lookup): forms
render only the chosen person, the lookup shows only people the user may see, and the form's queryset still
decides what may be submitted."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from branches.models import Officer, Post
from finance.forms import DonationForm, GrantForm
from meetings.models import Meeting, MeetingKind
from members.forms import ActivistForm, PersonChoiceField
from members.models import Person
from members.pipeline import Dossier
from members.widgets import LOOKUP_LIMIT, LookupFilters, PersonPicker
from tests.conftest import build_school

from . import factories as f

pytestmark = pytest.mark.django_db

LOOKUP = reverse("members:person_lookup")


def lookup(client, **params):
    response = client.get(LOOKUP, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def cast(orgs):
    """A teacher of each Party branch, a student of each class, and a teacher of another school."""
    other = build_school("城北中学")
    return {
        "t1": f.person(orgs.group1, name="张伟"),
        "t2": f.person(orgs.group2, name="赵敏"),
        "s1": f.student(orgs.class1, name="张小明"),
        "s2": f.student(orgs.class2, name="张小红"),
        "far": f.person(other.group1, name="张国强"),
    }


# --- the lookup ---------------------------------------------------------------------------------------


def test_lookup_finds_by_pinyin_initials_and_full_pinyin(client_for, admin_user, cast):
    client = client_for(admin_user)
    assert "张伟" in lookup(client, q="zw")
    assert "张伟" in lookup(client, q="zhangwei")
    page = lookup(client, q="zxm")
    assert "张小明" in page and "张伟" not in page


def test_lookup_buttons_carry_the_pick(client_for, admin_user, cast):
    page = lookup(client_for(admin_user), q="赵敏")
    assert f'data-id="{cast["t2"].pk}"' in page
    assert 'data-label="赵敏（第二党小组）"' in page


def test_outsider_sees_only_own_branch(client_for, outsider, cast):
    page = lookup(client_for(outsider), q="z")
    assert "赵敏" in page  # Second branch
    for name in ("张伟", "张小明", "张小红", "张国强"):
        assert name not in page


def test_class_secretary_sees_own_class_only(client_for, class_secretary, cast):
    page = lookup(client_for(class_secretary), q="张")
    assert "张小明" in page
    for name in ("张小红", "张伟", "张国强"):
        assert name not in page


def test_staff_of_the_school_join_only_for_an_organization_the_user_edits(client_for, orgs, class_secretary, cast):
    client = client_for(class_secretary)
    # A class meeting may be chaired by a teacher of the school (as the meeting form offers).
    page = lookup(client, q="z", org=orgs.class1.pk, with_staff="1")
    assert "张伟" in page and "赵敏" in page and "张小明" in page
    assert "张国强" not in page and "张小红" not in page
    # Another class's meeting: not theirs, so no staff and no students of that class.
    page = lookup(client, q="z", org=orgs.class2.pk, with_staff="1")
    for name in ("张伟", "赵敏", "张小红", "张小明", "张国强"):
        assert name not in page


def test_filters_narrow_to_the_fields_queryset(client_for, admin_user, orgs, cast):
    client = client_for(admin_user)
    page = lookup(client, q="张", category="student")
    assert "张小明" in page and "张小红" in page and "张伟" not in page
    page = lookup(client, q="张", org=orgs.class1.pk)
    assert "张小明" in page and "张小红" not in page
    page = lookup(client, q="张", org=orgs.class1.pk, area="school")
    assert "张伟" in page and "张国强" not in page
    page = lookup(client, q="张", org=orgs.class1.pk, area="school", exclude=cast["s1"].pk)
    assert "张小明" not in page


def test_full_member_filter_and_inactive_people(client_for, admin_user, orgs, cast):
    f.full_member(orgs.group1, name="张党员")
    f.full_member(orgs.group1, name="张离校", is_active=False)
    page = lookup(client_for(admin_user), q="张", status="full")
    assert "张党员" in page
    assert "张伟" not in page and "张离校" not in page


def test_editable_filter(client_for, league_secretary, cast):
    # The League secretary sees everyone but edits only League organizations: honors go to students.
    client = client_for(league_secretary)
    assert "张伟" in lookup(client, q="张")
    page = lookup(client, q="张", editable="1")
    assert "张小明" in page and "张小红" in page
    assert "张伟" not in page and "张国强" not in page


def test_junk_filters_are_ignored_and_results_limited(client_for, admin_user, orgs):
    for i in range(LOOKUP_LIMIT + 5):
        f.person(orgs.group1, name=f"王{i:02d}")
    page = lookup(client_for(admin_user), q="wang", org="abc", area="evil", category="x", exclude="9" * 40)
    assert page.count("data-picker-option") == LOOKUP_LIMIT


def test_empty_query_lists_nobody(client_for, admin_user, cast):
    page = lookup(client_for(admin_user), q="")
    assert "data-picker-option" not in page and "张伟" not in page


def test_lookup_needs_a_role(client, client_for, norole_user, cast):
    assert client.get(LOOKUP, {"q": "z"}).status_code == 302  # sign in first
    assert client_for(norole_user).get(LOOKUP, {"q": "z"}).status_code == 403


# --- the widget -----------------------------------------------------------------------------------------


def test_person_choice_field_uses_the_picker_by_default(orgs):
    assert isinstance(PersonChoiceField(queryset=Person.objects.all()).widget, PersonPicker)
    fund_people = Person.objects.filter(organization__path__startswith=orgs.school.path)
    assert isinstance(DonationForm(fund=_fund(orgs), people=fund_people).fields["donor"].widget, PersonPicker)
    fund = _fund(orgs)
    grant = GrantForm(fund=fund, students=fund_people.students()).fields["recipient"].widget
    assert isinstance(grant, PersonPicker)
    # Suggestions match what the form accepts: students of the fund's school, or of the chosen class.
    assert grant.filters.as_params() == {"org": fund.organization_id, "area": "school", "category": "student"}
    in_class = GrantForm(fund=fund, students=fund_people.students(), chosen_class=orgs.class2)
    assert in_class.fields["recipient"].widget.filters.as_params() == {"org": orgs.class2.pk, "category": "student"}


def _fund(orgs):
    from tests.finance.factories import AidFundFactory

    return AidFundFactory(organization=orgs.league)


def test_rendered_field_holds_only_the_chosen_person(orgs, cast):
    class Form(DonationForm):
        pass

    form = Form(fund=_fund(orgs), people=Person.objects.all(), initial={"donor": cast["t1"].pk})
    html = str(form["donor"])
    assert f'<option value="{cast["t1"].pk}" selected>张伟（第一党小组）</option>' in html
    for name in ("赵敏", "张小明", "张国强"):
        assert name not in html
    assert 'name="q"' in html and reverse("members:person_lookup") in html
    assert "<script src=" in html and "person_picker.js" in html


def test_unbound_empty_field_runs_no_query(orgs, cast, django_assert_num_queries):
    form = DonationForm(fund=_fund(orgs), people=Person.objects.all())
    with django_assert_num_queries(0):
        html = str(form["donor"])
    assert "张伟" not in html


def test_picker_url_carries_the_filters(orgs):
    picker = PersonPicker(filters=LookupFilters(org=orgs.class1.pk, with_staff=True, category="student"))
    url = picker.lookup_url()
    assert f"org={orgs.class1.pk}" in url and "with_staff=1" in url and "category=student" in url
    assert LookupFilters.from_params({"org": str(orgs.class1.pk), "with_staff": "1", "category": "student"}) == (
        picker.filters
    )


# --- the forms that use it --------------------------------------------------------------------------------


def test_officer_form_renders_no_other_people(client_for, orgs, branch_secretary, cast):
    page = client_for(branch_secretary).get(reverse("branches:officer_create", args=[orgs.branch1.pk])).content
    page = page.decode()
    assert "data-person-picker" in page
    for name in ("张伟", "赵敏", "张小明", "张国强"):
        assert name not in page


def _officer_post(person_pk, **extra):
    return {"person": person_pk, "post": Post.ORGANIZATION, "started_on": "2026-09-01", **extra}


def test_officer_saved_with_a_picked_person(client_for, orgs, branch_secretary, cast):
    url = reverse("branches:officer_create", args=[orgs.branch1.pk])
    response = client_for(branch_secretary).post(url, _officer_post(cast["t1"].pk))
    assert response.status_code == 302
    assert Officer.objects.filter(organization=orgs.branch1, person=cast["t1"]).exists()


@pytest.mark.parametrize("junk", ["far", "abc", "99999999999999999999", "-1"])
def test_a_person_outside_the_queryset_is_a_form_error(client_for, orgs, branch_secretary, cast, junk):
    pk = cast["far"].pk if junk == "far" else junk  # another school's teacher, or not a pk at all
    url = reverse("branches:officer_create", args=[orgs.branch1.pk])
    response = client_for(branch_secretary).post(url, _officer_post(pk))
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not Officer.objects.filter(organization=orgs.branch1, post=Post.ORGANIZATION).exists()
    assert "张国强" not in response.content.decode()


def test_the_pick_survives_a_form_error(client_for, orgs, branch_secretary, cast):
    url = reverse("branches:officer_create", args=[orgs.branch1.pk])
    data = _officer_post(cast["t1"].pk, ended_on="2026-01-01")  # ends before it starts
    response = client_for(branch_secretary).post(url, data)
    assert response.status_code == 200
    assert "ended_on" in response.context["form"].errors
    page = response.content.decode()
    assert f'<option value="{cast["t1"].pk}" selected>张伟（第一党小组）</option>' in page
    assert "赵敏" not in page


def test_meeting_edit_shows_its_chair_and_nobody_else(client_for, orgs, branch_secretary, cast):
    meeting = Meeting.objects.create(
        organization=orgs.branch1,
        kind=MeetingKind.BRANCH_GENERAL,
        topic="学习",
        starts_at=datetime(2026, 3, 10, 7, tzinfo=UTC),
        chair=cast["t1"],
    )
    other = f.person(orgs.group1, name="钱七")
    response = client_for(branch_secretary).get(reverse("meetings:edit", args=[meeting.pk]))
    page = response.content.decode()
    assert f'<option value="{cast["t1"].pk}" selected>' in page
    assert "钱七" not in page and "赵敏" not in page
    assert f"org={orgs.branch1.pk}" in page and "with_staff=1" in page
    data = {
        "kind": MeetingKind.BRANCH_GENERAL,
        "topic": "学习",
        "starts_at": "2026-03-10T15:00",
        "chair": cast["t1"].pk,
        "recorder": other.pk,
        "record_version": meeting.version,
    }
    response = client_for(branch_secretary).post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.recorder == other


def test_meeting_create_for_the_league_committee_lists_no_students(client_for, orgs, league_secretary, cast):
    url = reverse("meetings:create") + f"?org={orgs.league.pk}&kind={MeetingKind.LEAGUE_COMMITTEE}"
    page = client_for(league_secretary).get(url).content.decode()
    assert page.count("data-person-picker") >= 2
    form_part = page.split('id="attendance-block"')[0]
    assert "张小明" not in form_part and "张小红" not in form_part


def test_honor_form_person_is_picked(client_for, orgs, class_secretary, cast):
    client = client_for(class_secretary)
    page = client.get(reverse("activities:honor_create")).content.decode()
    assert "data-person-picker" in page and "editable=1" in page and "张小明" not in page
    response = client.post(
        reverse("activities:honor_create"),
        {
            "person": cast["s1"].pk,
            "title": "三好学生",
            "level": "school",
            "awarding_body": "城南中学",
            "awarded_on": "2026-01-10",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(
        reverse("activities:honor_create"),
        {
            "person": cast["s2"].pk,
            "title": "三好学生",
            "level": "school",
            "awarding_body": "城南中学",
            "awarded_on": "2026-01-10",
        },
    )
    assert response.status_code == 200 and "person" in response.context["form"].errors


def test_training_contacts_pickers_ask_for_the_schools_full_members(orgs, mentors):
    person = f.applicant(orgs.group1, name="孙老师")
    form = ActivistForm(person=person, dossier=Dossier(person))
    for name in ("contacts_1", "contacts_2"):
        widget = form.fields[name].widget
        assert isinstance(widget, PersonPicker)
        assert widget.filters == LookupFilters(org=orgs.group1.pk, area="school", status="full", exclude=person.pk)
    html = str(form["contacts_1"])
    assert "陈明" not in html and "刘强" not in html


def test_vote_subject_is_picked_among_the_schools_candidates(client_for, admin_user, orgs, cast):
    from meetings.forms import VoteForm

    target = f.person(orgs.group1, name="张发展", political_status="development_target")
    meeting = f.meeting(orgs.branch1)
    form = VoteForm(meeting=meeting)
    widget = form.fields["subject"].widget
    assert isinstance(widget, PersonPicker)
    assert widget.filters == LookupFilters(org=orgs.branch1.pk, area="developed", status="pipeline")
    assert "张发展" not in str(form["subject"])
    page = lookup(client_for(admin_user), q="张", **widget.filters.as_params())
    assert "张发展" in page
    assert "张伟" not in page and "张小明" not in page  # not in the Party's pipeline
    assert VoteForm({"kind": "admission", "subject": target.pk}, meeting=meeting).errors.get("subject") is None
    assert "subject" in VoteForm({"kind": "admission", "subject": cast["t1"].pk}, meeting=meeting).errors
