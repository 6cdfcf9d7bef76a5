"""The permission matrix (issue 7): every page (GET) and every form (POST) of the URL conf, as each role,
against an explicit table of who may do what.

How to read an entry of SPEC:
- `get` / `post`: the rule for that method (`post=None`: the URL takes no form);
- `owner`: the organization the object belongs to (a key of VIEW/EDIT below); `edit_owner` when the
  edit right is decided by another organization than the view right;
- `kw`: how to build the URL's kwargs and query string from the demo school.

Rules:
    public     everyone, anonymous included, gets the page
    signed_in  every signed-in account, even one without a role (dashboard, own account pages)
    any_role   every role; no role → 403
    creator    roles that may edit something (a form to create a record); the viewer → 403
    edits      roles that may edit the owner (a create form tied to one organization) → others 403
    admin      administrators only → others 403
    view       viewable owner → 200; otherwise 404 (existence is not revealed)
    edit       viewable and editable → allowed; viewable only → 403; not viewable → 404
    post_only  GET answers 405 (the URL is an action)
    + anonymous always → 302 to the login page (except `public`), no role always → 403 (except
      `public`/`signed_in`).

The expected results are written here, not computed by `branches.permissions`. Where an app deviated,
the case is marked xfail(strict) with the bug (reported to the lead); where the spec has a documented
exception it is said next to the entry.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from tests.core.test_urls_login_required import iter_patterns
from tests.security.conftest import ROLES, table_fingerprint

pytestmark = pytest.mark.django_db

ORGS = {"school", "general", "branch1", "group1", "branch2", "league", "class1", "class9"}

# Who views what (organization keys of conftest.Demo.orgs). "kept:X" is a place or series kept by X: it is
# visible to whoever may view X or an organization below it (a class uses the school's places).
VIEW = {
    "admin": ORGS | {"kept:school", "kept:league"},
    "party": ORGS | {"kept:school", "kept:league"},
    "league": ORGS | {"kept:school", "kept:league"},
    "leader": ORGS | {"kept:school", "kept:league"},
    "branch1": {"branch1", "group1", "kept:school"},
    "branch2": {"branch2", "kept:school"},
    "class": {"class1", "kept:school", "kept:league"},
    "norole": set(),
    "anon": set(),
}
# Who edits what: the administrator everything, the Party secretary the Party side and the school, the
# League secretary the League side, a post holder their post's subtree, the viewer nothing.
EDIT = {
    "admin": ORGS,
    "party": {"school", "general", "branch1", "group1", "branch2"},
    "league": {"league", "class1", "class9"},
    "branch1": {"branch1", "group1"},
    "branch2": {"branch2"},
    "class": {"class1"},
    "leader": set(),
    "norole": set(),
    "anon": set(),
}
CREATORS = {"admin", "party", "league", "class", "branch2", "branch1"}


@dataclass(frozen=True)
class Entry:
    get: str
    post: str | None = None
    owner: str | None = None
    edit_owner: str | None = None
    kw: Callable = lambda d: {}
    query: Callable = lambda d: ""
    # The confirming POST of an action that asks for more than a click (e.g. a reason).
    post_data: Callable = lambda d: {}
    get_ok: tuple = (200,)
    post_ok: tuple = (200, 302)
    # The POST may change the user's own account data (session, feed token): exempt from "nothing changed".
    own_data: bool = False
    # Logging out lands on the login page: that redirect is the success.
    success_to_login: bool = False
    # Per-role overrides of the expected status: {(method, role): status}.
    exceptions: dict = field(default_factory=dict)


def pk(key):
    return lambda d: {"pk": d.objs[key].pk}


def org_pk(key):
    return lambda d: {"pk": d.orgs[key].pk}


SPEC: dict[str, Entry] = {
    # --- accounts and core -------------------------------------------------------------------------
    # Signed-in users are sent on from the login page; logout is POST only (Django 5).
    "login": Entry("public", exceptions={("GET", r): 302 for r in ROLES if r != "anon"}),
    "logout": Entry("signed_in", post="signed_in", get_ok=(405,), post_ok=(302,), own_data=True, success_to_login=True),
    "password_change": Entry("signed_in", post="signed_in", own_data=True),
    "password_change_done": Entry("signed_in"),
    "set_language": Entry("public", post="public", get_ok=(302,), post_ok=(302,), own_data=True),
    # Not used by any page (nor by the login page): signed-in accounts only.
    "javascript-catalog": Entry("signed_in"),
    # The browser asks for it on every page, signed in or not; a no-role account meets the no-role rule.
    "favicon": Entry("public", get_ok=(301,)),
    "dashboard": Entry("signed_in"),
    "core:deleted": Entry("admin"),
    "core:history": Entry(
        "view", owner="branch1", kw=lambda d: {"label": "meetings.meeting", "pk": d.objs["meeting"].pk}
    ),
    "core:restore": Entry(
        "post_only",
        post="admin",
        kw=lambda d: {"label": "activities.place", "history_id": d.objs["deleted_history_id"]},
        post_ok=(302,),
    ),
    # --- branches ----------------------------------------------------------------------------------
    "branches:tree": Entry("any_role"),
    "branches:create": Entry("creator", post="creator"),
    "branches:detail": Entry("view", owner="branch1", kw=org_pk("branch1")),
    "branches:edit": Entry("edit", post="edit", owner="branch1", kw=org_pk("branch1")),
    "branches:officer_create": Entry("edit", post="edit", owner="branch1", kw=org_pk("branch1")),
    "branches:election_create": Entry("edit", post="edit", owner="branch1", kw=org_pk("branch1")),
    # --- members -----------------------------------------------------------------------------------
    "members:list": Entry("any_role"),
    # Exports of personal data: only roles that run organizations (the viewer reads on screen only).
    "members:export": Entry("creator"),
    # The person picker's suggestions (htmx): every role, scoped to the people the role may see.
    "members:person_lookup": Entry("any_role", query=lambda d: "?q=王"),
    "members:create": Entry("creator", post="creator"),
    "members:detail": Entry("view", owner="group1", kw=pk("person")),
    "members:edit": Entry("edit", post="edit", owner="group1", kw=pk("person")),
    "members:step": Entry(
        "edit", post="edit", owner="group1", kw=lambda d: {"pk": d.objs["person"].pk, "step": "transfer-out"}
    ),
    # Withdrawing a step is an edit of the organization that decided it (here the First branch).
    "members:event_withdraw": Entry(
        "edit", post="edit", owner="group1", edit_owner="branch1", kw=pk("withdraw_event"), post_ok=(302,)
    ),
    # An activist's assessment is deleted by who may decide Party steps for the person.
    "members:assessment_delete": Entry("edit", post="edit", owner="group1", kw=pk("assessment"), post_ok=(302,)),
    "members:document": Entry("view", owner="group1", kw=pk("event")),
    "members:board": Entry("any_role"),
    "members:due": Entry("any_role"),
    "members:recommendations": Entry("any_role"),
    # The yearly 推优 target is set by whoever edits the school or its League committee; a GET is "method
    # not allowed" (405) — the URL only takes the form of the list page (an account without a role: 403).
    "members:recommendation_target": Entry(
        "any_role",
        post="edit",
        owner="school",
        post_ok=(302,),
        exceptions={
            **{("GET", r): 405 for r in ROLES if r not in ("anon", "norole")},
            ("GET", "norole"): 403,
            ("POST", "league"): 302,
            ("POST", "class"): 403,
            ("POST", "branch1"): 403,
            ("POST", "branch2"): 403,
        },
    ),
    # The student of 高三（1）班 is in the First Party branch's pipeline, so its secretary may see them
    # (members.access: "a Party branch secretary sees the students in their pipeline") but not vote → 403.
    "members:recommendation_vote": Entry(
        "edit",
        post="edit",
        owner="class9",
        kw=pk("recommendation"),
        exceptions={("GET", "branch1"): 403, ("POST", "branch1"): 403},
    ),
    # Decided by the League committee.
    "members:recommendation_decide": Entry(
        "edit",
        post="edit",
        owner="class9",
        edit_owner="league",
        kw=pk("recommendation"),
        exceptions={("GET", "branch1"): 403, ("POST", "branch1"): 403},
    ),
    # The appraisal sheets: reading one organization's sheet is a view, saving it an edit.
    "members:appraisal": Entry("view", post="edit", owner="branch1", query=lambda d: f"?org={d.orgs['branch1'].pk}"),
    "members:league_sheet": Entry("view", post="edit", owner="class1", query=lambda d: f"?org={d.orgs['class1'].pk}"),
    "members:league_turning": Entry("any_role"),
    "members:import": Entry("creator", post="creator"),
    "members:import_template": Entry("creator"),
    # An import batch belongs to the account that uploaded it (the administrator's here).
    "members:import_preview": Entry(
        "admin",
        post="admin",
        kw=pk("roster"),
        exceptions={(m, r): 404 for m in ("GET", "POST") for r in CREATORS | {"leader"} if r != "admin"},
    ),
    # --- meetings ----------------------------------------------------------------------------------
    "meetings:list": Entry("any_role"),
    "meetings:calendar": Entry("any_role"),
    "meetings:frequency": Entry("any_role"),
    "meetings:create": Entry("creator", post="creator"),
    "meetings:person_search": Entry("any_role", query=lambda d: "?visitor_q=王"),
    # Each account manages its own feed address (its own data, not the school's records).
    "meetings:feed": Entry("any_role", post="any_role", post_ok=(302,), own_data=True),
    # The token is the credential; a signed-in account without a role still meets the no-role rule.
    "meetings:ical_feed": Entry(
        "public", kw=lambda d: {"token": d.objs["token"].token}, exceptions={("GET", "norole"): 403}
    ),
    "meetings:detail": Entry("view", owner="branch1", kw=pk("meeting")),
    "meetings:edit": Entry("edit", post="edit", owner="branch1", kw=pk("meeting")),
    "meetings:attendance": Entry("edit", post="edit", owner="branch1", kw=pk("meeting")),
    "meetings:delete": Entry("edit", post="edit", owner="branch1", kw=pk("meeting")),
    "meetings:print": Entry("view", owner="branch1", kw=pk("meeting")),
    # An empty vote is refused with the form shown again (400).
    "meetings:vote_create": Entry("post_only", post="edit", owner="branch1", kw=pk("meeting"), post_ok=(400,)),
    "meetings:vote_delete": Entry("post_only", post="edit", owner="branch1", kw=pk("vote"), post_ok=(302,)),
    "meetings:attachment_upload": Entry("post_only", post="edit", owner="branch1", kw=pk("meeting"), post_ok=(302,)),
    "meetings:attachment": Entry("view", owner="branch1", kw=pk("attachment")),
    "meetings:attachment_delete": Entry("post_only", post="edit", owner="branch1", kw=pk("attachment"), post_ok=(302,)),
    # --- activities --------------------------------------------------------------------------------
    "activities:list": Entry("any_role"),
    "activities:export": Entry("any_role"),
    "activities:create": Entry("creator", post="creator"),
    "activities:detail": Entry("view", owner="class1", kw=pk("activity")),
    "activities:edit": Entry("edit", post="edit", owner="class1", kw=pk("activity")),
    "activities:delete": Entry("edit", post="edit", owner="class1", kw=pk("activity"), post_ok=(302,)),
    "activities:participants": Entry("edit", post="edit", owner="class1", kw=pk("activity")),
    "activities:participants_import": Entry("edit", post="edit", owner="class1", kw=pk("activity")),
    "activities:participants_template": Entry("edit", owner="class1", kw=pk("activity")),
    "activities:participation_remove": Entry(
        "post_only",
        post="edit",
        owner="class1",
        kw=lambda d: {"pk": d.objs["activity"].pk, "item": d.objs["participation"].pk},
        post_ok=(302,),
    ),
    "activities:head_count_add": Entry("post_only", post="edit", owner="class1", kw=pk("activity"), post_ok=(302,)),
    "activities:head_count_remove": Entry(
        "post_only",
        post="edit",
        owner="class1",
        kw=lambda d: {"pk": d.objs["activity"].pk, "item": d.objs["head_count"].pk},
        post_ok=(302,),
    ),
    "activities:photo_add": Entry("edit", post="edit", owner="class1", kw=pk("activity")),
    "activities:photo": Entry("view", owner="class1", kw=pk("photo")),
    "activities:photo_delete": Entry("post_only", post="edit", owner="class1", kw=pk("photo"), post_ok=(302,)),
    "activities:place_list": Entry("any_role"),
    "activities:place_create": Entry("creator", post="creator"),
    "activities:place_detail": Entry("view", owner="kept:school", kw=pk("place")),
    "activities:place_edit": Entry("edit", post="edit", owner="kept:school", edit_owner="school", kw=pk("place")),
    # The place is in use: the confirming POST shows the blocker instead of deleting (200).
    "activities:place_delete": Entry(
        "edit", post="edit", owner="kept:school", edit_owner="school", kw=pk("place"), post_ok=(200,)
    ),
    "activities:series_list": Entry("any_role"),
    "activities:series_create": Entry("creator", post="creator"),
    "activities:series_detail": Entry("view", owner="kept:league", kw=pk("series")),
    "activities:series_edit": Entry("edit", post="edit", owner="kept:league", edit_owner="league", kw=pk("series")),
    "activities:series_delete": Entry("edit", post="edit", owner="kept:league", edit_owner="league", kw=pk("series")),
    "activities:honor_list": Entry("any_role"),
    "activities:honor_create": Entry("creator", post="creator"),
    "activities:honor_edit": Entry("edit", post="edit", owner="class1", kw=pk("honor")),
    "activities:honor_delete": Entry("edit", post="edit", owner="class1", kw=pk("honor"), post_ok=(302,)),
    "activities:honor_certificate": Entry("view", owner="class1", kw=pk("honor")),
    "activities:honors_for_org": Entry("view", owner="class1", kw=org_pk("class1")),
    "activities:honors_for_person": Entry("view", owner="group1", kw=pk("person")),
    # --- finance -----------------------------------------------------------------------------------
    "finance:index": Entry("any_role"),
    # The aid fund belongs to the League committee: only who edits a League committee may open one.
    "finance:fund_create": Entry("edits", post="edits", owner="league"),
    "finance:ledger": Entry("view", owner="league", kw=pk("fund")),
    "finance:ledger_export": Entry("view", owner="league", kw=pk("fund")),
    "finance:donation_create": Entry("edit", post="edit", owner="league", kw=pk("fund")),
    "finance:grant_create": Entry("edit", post="edit", owner="league", kw=pk("fund")),
    "finance:notice": Entry("view", owner="league", kw=pk("fund")),
    "finance:drives": Entry("view", owner="league", kw=pk("fund")),
    "finance:drive_create": Entry("edit", post="edit", owner="league", kw=pk("fund")),
    "finance:drive_edit": Entry(
        "edit",
        post="edit",
        owner="league",
        kw=lambda d: {"pk": d.objs["fund"].pk, "drive_pk": d.objs["drive"].pk},
    ),
    "finance:entry_reverse": Entry("edit", post="edit", owner="league", kw=pk("entry")),
    "finance:dues_org": Entry("view", owner="branch1", kw=org_pk("branch1")),
    "finance:dues_setup": Entry("post_only", post="edit", owner="branch1", kw=org_pk("branch1"), post_ok=(302,)),
    "finance:payment": Entry("edit", post="edit", owner="group1", kw=pk("account")),
    "finance:account_edit": Entry("edit", post="edit", owner="group1", kw=pk("account")),
    "finance:payment_reverse": Entry("edit", post="edit", owner="group1", kw=pk("payment")),
    # Lists and exports scoped to what the user may see (every role gets its own rows).
    "finance:arrears": Entry("any_role"),
    "finance:arrears_export": Entry("any_role"),
    "finance:dues_export": Entry("any_role"),
    # --- reports -----------------------------------------------------------------------------------
    # The list page also takes the "new summary" form; an empty form is shown again to anyone (200).
    "reports:index": Entry("any_role", post="any_role", post_ok=(200,)),
    "reports:due": Entry("any_role"),
    "reports:drilldown": Entry(
        "view",
        owner="branch1",
        kw=lambda d: {"key": "meetings.party"},
        query=lambda d: f"?org={d.orgs['branch1'].pk}&period=year:2025",
    ),
    "reports:detail": Entry("view", owner="school", kw=pk("summary")),
    # The charts of a summary and of a dashboard block, fetched by the page once shown (htmx).
    "reports:summary_charts": Entry("view", owner="school", kw=pk("summary")),
    "reports:dashboard_charts": Entry(
        "view", owner="branch1", query=lambda d: f"?org={d.orgs['branch1'].pk}&period=year:2025"
    ),
    "reports:edit_section": Entry(
        "edit", post="edit", owner="school", kw=lambda d: {"pk": d.objs["summary"].pk, "key": "introduction"}
    ),
    "reports:finalize": Entry("edit", post="edit", owner="school", kw=pk("summary"), post_ok=(302,)),
    # Reopening a finalized summary is the administrator's: other viewers of the school → 403.
    "reports:reopen": Entry(
        "view",
        post="view",
        owner="school",
        kw=pk("final_summary"),
        post_data=lambda d: {"reason": "更正了志愿服务时长的录入错误"},
        post_ok=(302,),
        exceptions={(m, r): 403 for m in ("GET", "POST") for r in ("party", "league", "leader")},
    ),
    "reports:pdf": Entry("view", owner="school", kw=pk("summary")),
    "reports:docx": Entry("view", owner="school", kw=pk("summary")),
    "reports:xlsx": Entry("view", owner="school", kw=pk("summary")),
}

# Cases where the app deviates from the spec: (url name, role, method) → the bug, reported to the lead.
# (Empty now: core:history's 500 for records made without a user — seed, commands — was fixed in 21be7d1.)
XFAIL: dict[tuple[str, str, str], str] = {}


def url_names() -> set[str]:
    return {name for name, _route in iter_patterns() if name}


def expected(entry: Entry, role: str, method: str) -> int | str:
    """The status the spec expects: a number, or "ok" (one of the entry's allowed statuses)."""
    if (method, role) in entry.exceptions:
        return entry.exceptions[(method, role)]
    rule = entry.get if method == "GET" else entry.post
    if rule == "public":
        return "ok"
    if role == "anon":
        return "login"
    if rule == "signed_in":
        return "ok"
    if role == "norole":
        return 403
    if rule == "post_only":
        return 405
    if rule == "any_role":
        return "ok"
    if rule == "creator":
        return "ok" if role in CREATORS else 403
    if rule == "admin":
        return "ok" if role == "admin" else 403
    if rule == "edits":
        return "ok" if (entry.edit_owner or entry.owner) in EDIT[role] else 403
    view_key = entry.owner
    edit_key = entry.edit_owner or (view_key.removeprefix("kept:") if view_key else None)
    if view_key not in VIEW[role]:
        return 404
    if rule == "view":
        return "ok"
    assert rule == "edit", rule
    return "ok" if edit_key in EDIT[role] else 403


def cases():
    for name in sorted(SPEC):
        entry = SPEC[name]
        for role in ROLES:
            for method in ("GET", "POST") if entry.post else ("GET",):
                marks = ()
                if (name, role, method) in XFAIL:
                    marks = pytest.mark.xfail(strict=True, reason=XFAIL[(name, role, method)])
                yield pytest.param(name, role, method, id=f"{name}-{role}-{method}", marks=marks)


def test_every_url_has_a_matrix_entry():
    missing = sorted(url_names() - set(SPEC))
    assert not missing, f"new page without a matrix entry: {missing}"
    stale = sorted(set(SPEC) - url_names())
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"


@pytest.mark.parametrize(("name", "role", "method"), cases())
def test_matrix(demo_files, fast_exports, client, name, role, method):
    demo = demo_files
    entry = SPEC[name]
    url = reverse(name, kwargs=entry.kw(demo)) + entry.query(demo)
    demo.login(client, role)
    client.raise_request_exception = False
    want = expected(entry, role, method)
    must_not_change = method == "POST" and (want != "ok" or role == "leader") and not entry.own_data
    before = table_fingerprint() if must_not_change else None

    response = client.get(url) if method == "GET" else client.post(url, entry.post_data(demo))

    got = response.status_code
    where = f"{method} {url} as {role}"
    if want == "login":
        assert got == 302, f"{where}: {got}, expected a redirect to the login page"
        assert response["Location"].startswith("/accounts/login/"), f"{where} → {response['Location']}"
    elif want == "ok":
        allowed = entry.get_ok if method == "GET" else entry.post_ok
        assert got in allowed, f"{where}: {got}, expected one of {allowed}"
        if got == 302 and not entry.success_to_login:
            assert not response["Location"].startswith("/accounts/login/"), f"{where} → {response['Location']}"
    else:
        assert got == want, f"{where}: {got}, expected {want}"
    if before is not None:
        assert table_fingerprint() == before, f"{where} changed the database"


# --- Editing an id in the URL: nested objects of another record ------------------------------------


@pytest.mark.parametrize("role", ["class", "admin"])
@pytest.mark.parametrize(
    ("name", "item"),
    [("activities:head_count_remove", "other_head_count"), ("activities:participation_remove", "other_participation")],
)
def test_removing_another_activitys_item_through_ones_own_activity_removes_nothing(demo, client, role, name, item):
    """高一（1）班's secretary (and even the administrator) cannot delete 高一（2）班's head count or participant
    by putting its id under their own activity's URL."""
    obj = demo.objs[item]
    demo.login(client, role)
    before = table_fingerprint()
    response = client.post(reverse(name, kwargs={"pk": demo.objs["activity"].pk, "item": obj.pk}))
    assert response.status_code in (302, 404)
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert table_fingerprint() == before


@pytest.mark.parametrize(
    ("role", "fund", "drive"),
    [("league", "fund", "drive2"), ("branch2", "fund2", "drive"), ("admin", "fund", "drive2")],
)
def test_a_drive_is_reached_only_through_its_own_fund(demo, client, role, fund, drive):
    demo.login(client, role)
    url = reverse("finance:drive_edit", kwargs={"pk": demo.objs[fund].pk, "drive_pk": demo.objs[drive].pk})
    before = table_fingerprint()
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "改名", "starts_on": "2026-01-01", "ends_on": "2026-02-01"}).status_code == 404
    assert table_fingerprint() == before


def test_another_accounts_import_batch_is_not_found(demo, client):
    demo.login(client, "party")
    url = reverse("members:import_preview", kwargs={"pk": demo.objs["roster"].pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def _xlsx_text(response) -> str:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(response.content), read_only=True)
    return "\n".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row if value
    )


@pytest.mark.parametrize("name", ["members:export", "finance:arrears_export", "finance:dues_export"])
def test_exports_hold_only_the_users_own_people(demo, client, name):
    """The Second branch's secretary exports only their own members: nobody of the First branch's groups
    (the first branch's secretary, exporting the same, does see them)."""
    from members.models import Person

    first_branch = set(
        Person.objects.filter(organization__path__startswith=demo.orgs["branch1"].path).values_list("name", flat=True)
    )
    second_branch = set(
        Person.objects.filter(organization__path__startswith=demo.orgs["branch2"].path).values_list("name", flat=True)
    )
    only_first = first_branch - second_branch
    query = "?all=1" if name == "finance:arrears_export" else ""
    demo.login(client, "branch1")
    assert set(_xlsx_text(client.get(reverse(name) + query)).split("\n")) & only_first, "the check would see them"
    demo.login(client, "branch2")
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    cells = set(_xlsx_text(response).split("\n"))
    assert not (cells & only_first), f"{name} as branch2 shows {sorted(cells & only_first)[:5]}"


# --- Outside the walked URL conf --------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_the_administrator_reaches_the_django_admin(demo, client, role):
    """The Django admin (left out of the walk) shows every record unscoped: nobody but the administrator."""
    demo.login(client, role)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    demo.login(client, "admin")
    assert client.get("/admin/").status_code == 200


def test_the_calendar_feed_needs_a_live_token(demo, client):
    token = demo.objs["token"]
    assert client.get(reverse("meetings:ical_feed", kwargs={"token": "0" * 43})).status_code == 404
    token.user.is_active = False
    token.user.save()
    assert client.get(reverse("meetings:ical_feed", kwargs={"token": token.token})).status_code == 404
