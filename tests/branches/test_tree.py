import pytest
from django.core.exceptions import ValidationError

from branches.models import Organization, OrgKind
from branches.services import organization_tree

pytestmark = pytest.mark.django_db


def test_paths_nest_and_subtree_is_a_prefix_query(orgs):
    assert orgs.branch1.path.startswith(orgs.general.path)
    assert orgs.group1.depth == 3
    subtree = set(Organization.objects.subtree_of(orgs.general))
    assert subtree == {orgs.general, orgs.branch1, orgs.branch2, orgs.group1, orgs.group2}


def test_siblings_get_distinct_paths(orgs):
    assert len({orgs.class1.path, orgs.class2.path}) == 2


def test_moving_an_organization_moves_its_descendants(orgs):
    group = Organization.objects.create(name="团小组", kind=OrgKind.LEAGUE_GROUP, parent=orgs.class2)
    other_committee = Organization.objects.create(name="初中部团委", kind=OrgKind.LEAGUE_COMMITTEE, parent=orgs.school)
    orgs.class2.parent = other_committee
    orgs.class2.save()
    group.refresh_from_db()
    assert group.path.startswith(other_committee.path)
    assert group.depth == 3
    assert set(other_committee.descendants()) == {orgs.class2, group}
    assert set(orgs.league.descendants()) == {orgs.class1}


def test_ancestors_in_order(orgs):
    assert list(orgs.group1.ancestors()) == [orgs.school, orgs.general, orgs.branch1]
    assert orgs.group1.school() == orgs.school


def test_kind_must_fit_under_parent(orgs):
    bad = Organization(name="错位", kind=OrgKind.LEAGUE_BRANCH, parent=orgs.general, grade=2026, class_number=9)
    with pytest.raises(ValidationError) as exc:
        bad.full_clean(exclude=["path"])
    assert "kind" in exc.value.message_dict


def test_class_branch_needs_grade_and_class(orgs):
    bad = Organization(name="无班级", kind=OrgKind.LEAGUE_BRANCH, parent=orgs.league)
    with pytest.raises(ValidationError):
        bad.full_clean(exclude=["path"])


def test_tree_nests_without_queries(orgs, django_assert_num_queries):
    all_orgs = list(Organization.objects.all())
    with django_assert_num_queries(0):
        roots = organization_tree(all_orgs)
    assert [n["org"] for n in roots] == [orgs.school]
    general = next(n for n in roots[0]["children"] if n["org"] == orgs.general)
    assert [n["org"] for n in general["children"]] == [orgs.branch1, orgs.branch2]


def test_partial_set_makes_own_roots(orgs):
    roots = organization_tree([orgs.branch1, orgs.group1])
    assert [n["org"] for n in roots] == [orgs.branch1]
    assert [n["org"] for n in roots[0]["children"]] == [orgs.group1]
