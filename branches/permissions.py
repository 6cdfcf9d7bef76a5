"""The one module that decides who may view and who may edit an organization's records.

Roles are Django groups; an officer post tied to a user account gives rights over that organization's
subtree. Views never decide access ad hoc: they call `can_view`/`can_edit`, `scope`, or
`get_for_user_or_404`.

| role              | views                         | edits                              |
|-------------------|-------------------------------|------------------------------------|
| administrator     | everything                    | everything                         |
| party_secretary   | everything                    | Party organizations (+ the school) |
| league_secretary  | everything                    | League organizations               |
| viewer            | everything                    | nothing                            |
| officer post      | the post's organization subtree | the same subtree                 |
| no role           | nothing                       | nothing                            |

"Everything" is the account's school. A database holding several schools (a county hosting its schools) scopes
each role to the schools the account belongs to: those of its officer posts and of its person record
(`Person.user`). A superuser's roles reach every school; a role account linked to no school reaches none until
it is linked. With one school in the database, every role reaches it, as in the table.

An account with a person record belongs to that person's school, and a post it holds in another school is
ignored: it gives neither that post's subtree nor the account's roles there. A post is recorded by the
officers of the post's school, who cannot vouch for another school's account (their officers form offers
only their school's accounts, `school_accounts`); ignoring it also disarms such posts recorded before the
form was narrowed. An account without a person record (a county official, a new account) belongs to the
schools of its current posts. `Access` and `school_accounts` apply this one rule, tested side by side.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import LEAGUE_KINDS, PARTY_KINDS, PATH_STEP, Officer, Organization, OrgKind


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("School administrator")
    PARTY_SECRETARY = "party_secretary", _("Party secretary")
    LEAGUE_SECRETARY = "league_secretary", _("League secretary")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    VIEWER = "viewer", _("Viewer (read-only)")


VIEWING_ROLES = {Role.ADMINISTRATOR, Role.PARTY_SECRETARY, Role.LEAGUE_SECRETARY, Role.VIEWER}


class Access:
    """What one user may do, computed once per request (two queries) and cached on the user object."""

    def __init__(self, user):
        self.user = user
        # school_paths: the schools the roles reach; None = every school (a superuser, or a one-school database).
        self.school_paths: tuple[str, ...] | None = None
        if not user or not user.is_authenticated or not user.is_active:
            self.roles, self.officer_paths, self.own_school_paths = frozenset(), (), ()
            return
        self.roles = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            self.roles |= {Role.ADMINISTRATOR}
        # One query: the user's current posts, the organization of their person record, and every school.
        posts = Officer.objects.current().filter(user=user).order_by().annotate(src=Value("post"))
        own = Organization.objects.filter(people__user=user).order_by().annotate(src=Value("person"))
        schools = Organization.objects.filter(kind=OrgKind.SCHOOL).order_by().annotate(src=Value("school"))
        rows = list(
            posts.values_list("organization__path", "src").union(
                own.values_list("path", "src"), schools.values_list("path", "src"), all=True
            )
        )
        person_schools = {path[:PATH_STEP] for path, src in rows if src == "person"}
        posts = {path for path, src in rows if src == "post"}
        if person_schools:  # a post in another school than the person's is ignored (module docstring)
            posts = {path for path in posts if path[:PATH_STEP] in person_schools}
        self.officer_paths = tuple(sorted(posts))
        # The schools the account belongs to, whatever the number of schools in the database.
        self.own_school_paths = tuple(sorted(person_schools | {path[:PATH_STEP] for path in posts}))
        if not user.is_superuser and sum(1 for _path, src in rows if src == "school") > 1:
            self.school_paths = self.own_school_paths

    def _reaches(self, org: Organization) -> bool:
        """Whether the account's roles reach `org` (its school is one of the account's)."""
        return self.school_paths is None or org.path[:PATH_STEP] in self.school_paths

    @property
    def _role_views(self) -> bool:
        return bool(self.roles & VIEWING_ROLES)

    @property
    def is_admin(self) -> bool:
        """An administrator of every school in the database (deleted records, restores, reopening)."""
        return Role.ADMINISTRATOR in self.roles and self.school_paths is None

    def administers(self, org: Organization | None) -> bool:
        """An administrator whose role reaches `org` (the school's administrator in a county database)."""
        if org is None:
            return self.is_admin
        return Role.ADMINISTRATOR in self.roles and self._reaches(org)

    @property
    def sees_everything(self) -> bool:
        return self._role_views and self.school_paths is None

    @property
    def has_any_access(self) -> bool:
        return self.sees_everything or bool(self.officer_paths) or (self._role_views and bool(self.school_paths))

    def _in_own_subtree(self, org: Organization) -> bool:
        return any(org.path.startswith(p) for p in self.officer_paths)

    def can_view(self, org: Organization | None) -> bool:
        if org is None:
            return self.sees_everything
        return (self._role_views and self._reaches(org)) or self._in_own_subtree(org)

    def can_edit(self, org: Organization | None) -> bool:
        if org is None:
            return self.is_admin
        if self.administers(org):
            return True
        if self._reaches(org):
            if Role.PARTY_SECRETARY in self.roles and (org.kind in PARTY_KINDS or org.kind == OrgKind.SCHOOL):
                return True
            if Role.LEAGUE_SECRETARY in self.roles and org.kind in LEAGUE_KINDS:
                return True
        return self._in_own_subtree(org)

    @property
    def can_edit_anything(self) -> bool:
        editing_roles = self.roles & {Role.ADMINISTRATOR, Role.PARTY_SECRETARY, Role.LEAGUE_SECRETARY}
        return (bool(editing_roles) and self.school_paths != ()) or bool(self.officer_paths)

    def _paths_q(self, prefix: str, paths) -> Q:
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(**{f"{prefix}__startswith": p})
        return q

    def org_q(self, field: str = "organization") -> Q:
        """A Q restricting rows whose `field` (an Organization FK path, "" for Organization itself) lies in
        what this user may view."""
        if self.sees_everything:
            return Q()
        prefix = f"{field}__path" if field else "path"
        q = self._paths_q(prefix, self.officer_paths)
        if self._role_views:
            q |= self._paths_q(prefix, self.school_paths or ())
        return q

    def editable_org_q(self, field: str = "organization") -> Q:
        if self.is_admin:
            return Q()
        prefix = f"{field}__" if field else ""
        reach = Q() if self.school_paths is None else self._paths_q(f"{prefix}path", self.school_paths)
        q = self._paths_q(f"{prefix}path", self.officer_paths)
        if Role.ADMINISTRATOR in self.roles:
            q |= reach
        if Role.PARTY_SECRETARY in self.roles:
            q |= reach & Q(**{f"{prefix}kind__in": [*PARTY_KINDS, OrgKind.SCHOOL]})
        if Role.LEAGUE_SECRETARY in self.roles:
            q |= reach & Q(**{f"{prefix}kind__in": list(LEAGUE_KINDS)})
        return q


def school_accounts(school_path: str, *, unlinked: bool = False):
    """The accounts that belong to the school at `school_path` by the rule `Access` applies: a person record
    in it or, without a person record, a current post in it. `unlinked` adds the accounts that belong to no
    school yet (no person record, no current post, no post ever in another school), which the school's
    administrator may link; a superuser is never among those. One query (the posts are subqueries)."""
    current_posts = Officer.objects.current().filter(user__isnull=False)
    mine = current_posts.filter(organization__path__startswith=school_path).values("user_id")
    accounts = Q(person__organization__path__startswith=school_path) | Q(person__isnull=True, pk__in=mine)
    if unlinked:
        elsewhere = Officer.objects.filter(user__isnull=False).exclude(organization__path__startswith=school_path)
        accounts |= (
            Q(person__isnull=True, is_superuser=False)
            & ~Q(pk__in=current_posts.values("user_id"))
            & ~Q(pk__in=elsewhere.values("user_id"))
        )
    return get_user_model().objects.filter(accounts).order_by("username")


def access(user) -> Access:
    if user is None:
        user = AnonymousUser()
    cached = getattr(user, "_partyleague_access", None)
    if cached is None:
        cached = Access(user)
        if user.is_authenticated:
            user._partyleague_access = cached
    return cached


def can_view(user, org: Organization | None) -> bool:
    return access(user).can_view(org)


def can_edit(user, org: Organization | None) -> bool:
    return access(user).can_edit(org)


def viewable_organizations(user):
    return Organization.objects.filter(access(user).org_q(field=""))


def editable_organizations(user):
    return Organization.objects.filter(access(user).editable_org_q(field=""))


def scope(user, queryset, field: str = "organization"):
    """Restrict `queryset` to rows whose organization (reached through `field`) the user may view."""
    return queryset.filter(access(user).org_q(field))


def get_for_user_or_404(user, queryset, *, edit: bool = False, org_of=lambda obj: obj.organization, **lookup):
    """Fetch one object from the URL and check access: an organization the user may not even view gives
    404 (its existence is not revealed); one they may view but not edit gives 403 when `edit` is asked."""
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    org = org_of(obj)
    if not can_view(user, org):
        raise Http404
    if edit and not can_edit(user, org):
        raise PermissionDenied
    return obj


def require_edit(user, org: Organization | None):
    if not can_edit(user, org):
        raise PermissionDenied


def can_read_history(user, org: Organization | None) -> bool:
    """The audit trail of a record owned by `org` (core.history): whoever may view `org`; a record of no
    organization (school years, semesters, a deleted organization): administrators only."""
    acc = access(user)
    return acc.is_admin or (org is not None and acc.can_view(org))


def can_restore_records(user) -> bool:
    """Deleted records of any app are listed and restored by administrators only."""
    return access(user).is_admin
