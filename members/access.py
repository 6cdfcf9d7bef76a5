"""Who may see and change which people, built on `branches.permissions` (the one place access is decided).

- A person is visible to whoever may view their organization, or the Party organization developing
  them (a Party branch secretary sees the students in their pipeline).
- The profile is edited by whoever may edit the person's organization.
- A pipeline step is recorded by whoever may edit the organization that decides it (Party steps: a
  Party organization; League steps and 推优: a League organization) — see `members.forms`.
- ID number and phone (need to know, docs/privacy.md) are read in full only as `can_see_sensitive` says:
  the administrators of the person's school and the adult officers whose post covers the person's own
  organization — never a student account (`is_student_account`), whatever post it holds. Everyone else,
  on every page, in the history and in every export, sees them masked: "330102************" (the region
  of issue only) and "138********". `sensitive_q` is the same rule as a filter (search by ID number).
- The member list is exported by those who run organizations (`can_export`); each export is logged
  (`core.audit.log_export`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from branches.permissions import Role, access, can_edit, can_view

from .models import Category, Person


def visible_q(user) -> Q:
    a = access(user)
    if a.sees_everything:
        return Q()
    return a.org_q("organization") | a.org_q("party_organization")


def people_for(user, queryset=None):
    """The people `user` may see (active or not)."""
    queryset = Person.objects.all() if queryset is None else queryset
    if not access(user).has_any_access:
        return queryset.none()
    return queryset.filter(visible_q(user))


def can_view_person(user, person: Person) -> bool:
    return can_view(user, person.organization) or (
        person.party_organization_id is not None and can_view(user, person.party_organization)
    )


def can_edit_person(user, person: Person) -> bool:
    return can_edit(user, person.organization)


def deciding_organizations(user, person: Person, *, side: str):
    """The organizations `user` may record a step for `person` in: editable organizations of the
    person's school on the given side ("party" or "league"). Empty means the user may not record it."""
    from branches.models import LEAGUE_KINDS, PARTY_KINDS, PATH_STEP
    from branches.permissions import editable_organizations

    kinds = PARTY_KINDS if side == "party" else LEAGUE_KINDS
    school_path = person.organization.path[:PATH_STEP]
    return editable_organizations(user).filter(kind__in=kinds, path__startswith=school_path, is_active=True)


def person_for_user_or_404(user, pk, *, edit: bool = False, queryset=None) -> Person:
    """One person from the URL: 404 when the user may not see them, 403 when an edit is asked and the
    user may not edit their organization."""
    queryset = queryset if queryset is not None else Person.objects.all()
    try:
        person = queryset.select_related("organization", "party_organization").get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not can_view_person(user, person):
        raise Http404
    if edit and not can_edit_person(user, person):
        raise PermissionDenied
    return person


def is_student_account(user) -> bool:
    """Whether `user` is a student's account: its own person record, or the person holding one of its posts,
    is a student. A student may be her class's League secretary, but she is a minor among her classmates
    and never reads their ID numbers or phones. One query, remembered on the user object (per request)."""
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_partyleague_student", None)
    if cached is None:
        mine = Q(user=user) | Q(posts__user=user)
        cached = Person.objects.filter(mine, category=Category.STUDENT).exists()
        user._partyleague_student = cached
    return cached


def can_see_sensitive(user, person: Person) -> bool:
    """THE rule for ID number and phone: the administrators of the person's school, and officers whose
    post's organization contains the person's own organization (its secretary, or the secretary of a
    parent) — unless the account is a student's. Everyone else — the viewer, another branch, the Party
    secretary for a student of a League branch, a student secretary for her classmates — sees them masked
    (`Person.masked_id_number`, `Person.masked_phone`)."""
    a = access(user)
    path = person.organization.path
    allowed = a.administers(person.organization) or any(path.startswith(p) for p in a.officer_paths)
    return allowed and not is_student_account(user)


def sensitive_q(user, field: str = "organization") -> Q:
    """`can_see_sensitive` as a filter on people (their organization reached through `field`): whose
    ID number and phone `user` may read."""
    nobody = Q(pk__in=[])
    if is_student_account(user):
        return nobody
    a = access(user)
    paths = list(a.officer_paths)
    if Role.ADMINISTRATOR in a.roles:
        if a.school_paths is None:
            return Q()
        paths += a.school_paths
    q = nobody
    for p in paths:
        q |= Q(**{f"{field}__path__startswith": p})
    return q


def can_export(user) -> bool:
    """Exporting the member list is for those who run organizations (administrators, secretaries and
    officers); a read-only viewer reads on screen only."""
    return access(user).can_edit_anything


def require(condition: bool):
    if not condition:
        raise PermissionDenied
