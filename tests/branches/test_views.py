import pytest
from django.urls import reverse

from branches.models import Officer, Organization, OrgKind

pytestmark = pytest.mark.django_db


def test_tree_shows_the_organizations(client_for, orgs, party_secretary):
    response = client_for(party_secretary).get(reverse("branches:tree"))
    assert response.status_code == 200
    for org in (orgs.school, orgs.branch1, orgs.class2):
        assert org.name in response.content.decode()


def test_tree_of_branch_secretary_shows_only_their_subtree(client_for, orgs, branch_secretary):
    body = client_for(branch_secretary).get(reverse("branches:tree")).content.decode()
    assert orgs.branch1.name in body and orgs.group1.name in body
    assert orgs.branch2.name not in body


def test_tree_query_count_is_flat(client_for, orgs, party_secretary, django_assert_max_num_queries):
    client = client_for(party_secretary)
    with django_assert_max_num_queries(8):
        client.get(reverse("branches:tree"))
    for i in range(30):
        Organization.objects.create(
            name=f"班{i}", kind=OrgKind.LEAGUE_BRANCH, parent=orgs.league, grade=2025, class_number=i + 1
        )
    with django_assert_max_num_queries(8):
        client.get(reverse("branches:tree"))


def test_detail_lists_officers_and_children(client_for, orgs, party_secretary):
    body = client_for(party_secretary).get(reverse("branches:detail", args=[orgs.general.pk])).content.decode()
    assert orgs.branch1.name in body and orgs.branch2.name in body
    assert "Secretary" in body


def test_outsider_gets_404_on_another_branch(client_for, orgs, outsider):
    client = client_for(outsider)
    assert client.get(reverse("branches:detail", args=[orgs.branch1.pk])).status_code == 404
    assert client.get(reverse("branches:edit", args=[orgs.branch1.pk])).status_code == 404
    assert client.post(reverse("branches:officer_create", args=[orgs.branch1.pk]), {}).status_code == 404


def test_viewer_may_read_but_not_edit(client_for, orgs, viewer):
    client = client_for(viewer)
    assert client.get(reverse("branches:detail", args=[orgs.branch1.pk])).status_code == 200
    assert client.get(reverse("branches:edit", args=[orgs.branch1.pk])).status_code == 403
    assert client.get(reverse("branches:create")).status_code == 403


def test_league_secretary_creates_a_class_league_branch(client_for, orgs, league_secretary):
    client = client_for(league_secretary)
    response = client.post(
        reverse("branches:create"),
        {
            "parent": orgs.league.pk,
            "kind": OrgKind.LEAGUE_BRANCH,
            "name": "高一（3）班团支部",
            "grade": 2026,
            "class_number": 3,
            "sort_order": 0,
        },
    )
    created = Organization.objects.get(name="高一（3）班团支部")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.parent == orgs.league and created.path.startswith(orgs.league.path)
    assert created.history.count() == 1
    assert created.history.first().history_user == league_secretary


def test_bad_input_shows_errors_and_saves_nothing(client_for, orgs, league_secretary):
    before = Organization.objects.count()
    response = client_for(league_secretary).post(
        reverse("branches:create"),
        {
            "parent": orgs.league.pk,
            "kind": OrgKind.LEAGUE_BRANCH,
            "name": "",
            "grade": "abc",
            "class_number": -1,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"name", "grade", "class_number"} <= set(form.errors)
    assert Organization.objects.count() == before


def test_duplicate_class_is_refused(client_for, orgs, league_secretary):
    response = client_for(league_secretary).post(
        reverse("branches:create"),
        {
            "parent": orgs.league.pk,
            "kind": OrgKind.LEAGUE_BRANCH,
            "name": "重复",
            "grade": 2026,
            "class_number": 1,
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    assert "class_number" in response.context["form"].errors


def test_party_secretary_cannot_put_a_branch_under_the_league(client_for, orgs, party_secretary):
    response = client_for(party_secretary).post(
        reverse("branches:create"),
        {
            "parent": orgs.league.pk,
            "kind": OrgKind.PARTY_BRANCH,
            "name": "x",
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors  # the League committee is not among their parents


def test_branch_secretary_adds_an_officer_to_own_branch(client_for, orgs, branch_secretary, norole_user):
    from tests.factories import PersonFactory

    PersonFactory(organization=orgs.group1, user=norole_user)  # an account of the school (the form offers no other)
    response = client_for(branch_secretary).post(
        reverse("branches:officer_create", args=[orgs.branch1.pk]),
        {
            "user": norole_user.pk,
            "post": "organization",
            "started_on": "2026-09-01",
        },
    )
    assert response.status_code == 302
    assert Officer.objects.filter(organization=orgs.branch1, user=norole_user).exists()


def test_officer_term_order_is_checked(client_for, orgs, branch_secretary, norole_user):
    response = client_for(branch_secretary).post(
        reverse("branches:officer_create", args=[orgs.branch1.pk]),
        {
            "user": norole_user.pk,
            "post": "organization",
            "started_on": "2026-09-01",
            "ended_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "ended_on" in response.context["form"].errors


def test_stale_edit_is_refused_and_input_kept(client_for, orgs, party_secretary):
    client = client_for(party_secretary)
    url = reverse("branches:edit", args=[orgs.branch1.pk])
    data = {
        "parent": orgs.general.pk,
        "kind": OrgKind.PARTY_BRANCH,
        "name": "第一党支部（新）",
        "sort_order": 0,
        "record_version": orgs.branch1.version,
    }
    # Someone else saves first.
    orgs.branch1.name = "别人改的"
    orgs.branch1.version += 1
    orgs.branch1.save()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    assert response.context["form"]["name"].value() == "第一党支部（新）"
    orgs.branch1.refresh_from_db()
    assert orgs.branch1.name == "别人改的"
    # Reloading the form picks up the new version, and then the save goes through.
    data["record_version"] = orgs.branch1.version
    assert client.post(url, data).status_code == 302
    orgs.branch1.refresh_from_db()
    assert orgs.branch1.name == "第一党支部（新）"
    assert orgs.branch1.version == 3


def test_unknown_url_gives_styled_404(client_for, party_secretary):
    response = client_for(party_secretary).get("/no-such-page/")
    assert response.status_code == 404
    assert "does not exist" in response.content.decode()
