"""Reads of the reports app. Other apps may call `compile_figures` (reports.figures) and
`summary_figures` / `live_differences` here."""

from django.db.models import QuerySet

from branches.models import Organization
from branches.periods import Period, calendar_year
from branches.permissions import access, scope, viewable_organizations
from core.datacache import cached

from .figures import compile_figures
from .models import Summary


def summaries_for_user(user, *, status: str = "", q: str = "") -> QuerySet:
    qs = scope(user, Summary.objects.select_related("organization", "created_by", "finalized_by"))
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def summary_with_sections(summary: Summary) -> Summary:
    sections = list(summary.sections.all())
    sections.sort(key=lambda s: s.position)
    summary.ordered_sections = sections
    return summary


def live_figures(root: Organization, period: Period) -> dict:
    """`compile_figures`, cached under the data version (core.datacache): the dashboard, a draft summary,
    its print view and its exports compile once until a record changes."""
    parts = (root.pk, root.path, period.key, period.start.isoformat(), period.end.isoformat())
    return cached("figures", parts, lambda: compile_figures(root, period))


def summary_figures(summary: Summary) -> dict:
    """The figures a summary shows: the frozen snapshot once finalized, the live figures while a draft."""
    if summary.is_finalized and summary.snapshot:
        return summary.snapshot
    return live_figures(summary.organization, summary.period)


def live_differences(summary: Summary, live: dict | None = None) -> list[dict]:
    """For a finalized summary: the figures whose live value now differs from the frozen one."""
    if not summary.is_finalized or not summary.snapshot:
        return []
    live = live or live_figures(summary.organization, summary.period)
    frozen = summary.snapshot.get("figures", {})
    out = []
    for key, fig in frozen.items():
        now = live["figures"].get(key)
        if now is not None and not fig.get("stock") and str(now["value"]) != str(fig["value"]):
            out.append({"key": key, "frozen": fig["value"], "live": now["value"]})
    return out


def dashboard_roots(user) -> list[Organization]:
    """The organizations whose figures a user's dashboard shows: the schools for those who see
    everything, otherwise the top organizations of their own posts."""
    acc = access(user)
    if acc.sees_everything:
        return list(Organization.objects.filter(parent__isnull=True, is_active=True).order_by("path"))
    orgs = list(viewable_organizations(user).order_by("path"))
    tops = []
    for org in orgs:
        if not any(org.path.startswith(t.path) for t in tops):
            tops.append(org)
    return tops


def this_year(today) -> Period:
    return calendar_year(today.year)
