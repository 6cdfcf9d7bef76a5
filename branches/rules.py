"""Object permissions for templates (`{% load rules %}{% has_perm 'branches.edit_org' user org as ok %}`)."""

import rules

from .permissions import can_edit, can_view


@rules.predicate
def _can_view(user, org):
    return can_view(user, org)


@rules.predicate
def _can_edit(user, org):
    return can_edit(user, org)


rules.add_perm("branches.view_org", _can_view)
rules.add_perm("branches.edit_org", _can_edit)
