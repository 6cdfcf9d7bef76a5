"""The "Due" list: what needs doing soon, gathered from the apps. An app provides a function
`due_items(user, today) -> list[core.due.DueItem]`, listed here in DUE_PROVIDERS; the Due page and the dashboard
call `collect(user)`. Providers must run a fixed number of queries (no per-row queries). The list lives in
reports, above the apps it collects, like the dashboard that shows it."""

from datetime import date

from django.utils import timezone
from django.utils.module_loading import import_string

from branches.permissions import access
from core.datacache import cached
from core.due import DueItem

DUE_PROVIDERS = [
    "members.selectors.due_items",
    "meetings.selectors.due_items",
    "finance.selectors.due_items",
]


def _load(path: str):
    """The provider named by `path`. A misspelt or missing provider raises ImportError: a Due list that
    silently left out an app's items would look complete."""
    return import_string(path)


def collect(user, today: date | None = None) -> list[DueItem]:
    """Every provider's items for `user`, most urgent first. Cached with the tables the providers read, for
    the schools and posts the account reaches (core.datacache: a change there recomputes it, a change in
    another school does not), under what decides the user's access (roles and posts). Each provider's items
    are also cached on their own, on the tables that provider read: a meeting recorded recomputes the
    meetings' items and serves the members' and the fund's from the cache."""
    today = today or timezone.localdate()
    parts, scope = _key(user, today)
    return cached("due", parts, lambda: _collect(user, today), scope=scope)


def _key(user, today: date) -> tuple[tuple, tuple[str, ...] | None]:
    """What a user's Due list is cached under (what decides their access, and the day) and its scope."""
    acc = access(user)
    parts = (user.pk, sorted(acc.roles), acc.officer_paths, acc.school_paths, today.isoformat())
    scope = None if acc.school_paths is None else (*acc.school_paths, *acc.officer_paths)
    return parts, scope


def _collect(user, today: date) -> list[DueItem]:
    parts, scope = _key(user, today)
    items: list[DueItem] = []
    for path in DUE_PROVIDERS:
        provider = _load(path)
        items.extend(cached("due-provider", (path, *parts), lambda p=provider: p(user, today), scope=scope))
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(items, key=lambda i: (order.get(i.severity, 3), i.due_on or date.max, i.title))
