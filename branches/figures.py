"""The figures of the organization tree the annual summary prints (DESIGN §4, part 1): organizations,
officers in post, elections. Declared here, on this app's querysets; `reports` compiles them."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.figures import Column, Figure, Source, subtree_q

from .models import LEAGUE_KINDS, PARTY_KINDS, Election, Officer, Organization, OrgKind, existed_q

ORG_FIGURES = [
    (OrgKind.PARTY_GENERAL_BRANCH, _("Party general branches")),
    (OrgKind.PARTY_BRANCH, _("Party branches")),
    (OrgKind.PARTY_GROUP, _("Party groups")),
    (OrgKind.LEAGUE_COMMITTEE, _("League committees")),
    (OrgKind.LEAGUE_BRANCH, _("League branches")),
    (OrgKind.LEAGUE_GROUP, _("League groups")),
]


def _organizations(root, period):
    """The organizations of the subtree as of the period's last day (a stock): founded by then and not yet
    dissolved (`Organization.objects.existing_on`), whether or not they are still active today."""
    return Organization.objects.filter(path__startswith=root.path).existing_on(period.end)


def _officers(root, period):
    """Officers in post on the period's last day, in organizations that existed that day (a post left open
    in a dissolved class branch is no post)."""
    return (
        Officer.objects.current(on=period.end)
        .filter(subtree_q(root), existed_q(period.end, period.end, prefix="organization__"))
        .select_related("organization", "person", "user")
    )


def _elections(root, period):
    return Election.objects.filter(subtree_q(root), held_on__range=(period.start, period.end)).select_related(
        "organization"
    )


SOURCES = [
    Source(
        key="organizations",
        label=_("Organizations"),
        queryset=_organizations,
        # As of each period's last day, so the previous period's figure is the tree as it stood then.
        figures=lambda period: [Figure(f"orgs.{kind}", label, Q(kind=kind)) for kind, label in ORG_FIGURES],
        columns=[
            Column(pgettext_lazy("of an organization", "Name"), lambda o: o.name),
            Column(_("Kind"), lambda o: o.get_kind_display()),
            Column(_("Founded on"), lambda o: o.founded_on),
            Column(_("Dissolved on"), lambda o: o.dissolved_on),
        ],
        order_by=("path",),
    ),
    Source(
        key="officers",
        label=_("Officers"),
        queryset=_officers,
        figures=lambda period: [
            Figure("officers.total", _("Officers in post")),
            Figure("officers.party", _("Party officers in post"), Q(organization__kind__in=PARTY_KINDS)),
            Figure("officers.league", _("League officers in post"), Q(organization__kind__in=LEAGUE_KINDS)),
        ],
        columns=[
            Column(_("Organization"), lambda o: o.organization.name),
            Column(_("Post"), lambda o: o.get_post_display()),
            Column(_("Holder"), lambda o: o.person or o.user),
            Column(_("Term starts"), lambda o: o.started_on),
        ],
        order_by=("organization__path", "post"),
    ),
    Source(
        key="elections",
        label=_("Elections"),
        queryset=_elections,
        figures=lambda period: [
            Figure("elections.total", _("Elections held")),
            Figure("elections.party", _("Party elections held"), Q(organization__kind__in=PARTY_KINDS)),
            Figure("elections.league", _("League elections held"), Q(organization__kind__in=LEAGUE_KINDS)),
        ],
        columns=[
            Column(_("Date"), lambda e: e.held_on),
            Column(_("Organization"), lambda e: e.organization.name),
            Column(_("Title"), lambda e: e.title),
            Column(_("Posts filled"), lambda e: e.posts_filled),
        ],
        order_by=("held_on", "pk"),
    ),
]
BREAKDOWNS = []
EXTRAS = []
