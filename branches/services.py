from django.db import transaction

from .models import Organization


def organization_tree(orgs) -> list[dict]:
    """Nest a path-ordered iterable of organizations into [{org, children: [...]}, ...] without extra
    queries. Organizations whose parent is not in the set become roots (a branch secretary sees their
    own subtree as a tree)."""
    nodes: dict[int, dict] = {}
    roots: list[dict] = []
    for org in sorted(orgs, key=lambda o: o.path):
        node = {"org": org, "children": []}
        nodes[org.pk] = node
        parent = nodes.get(org.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


@transaction.atomic
def organization_save(*, form) -> Organization:
    """Save an organization form (create or edit); the path is assigned by the model."""
    org = form.save(commit=False)
    org.full_clean(exclude=["path"])
    org.save()
    return org
