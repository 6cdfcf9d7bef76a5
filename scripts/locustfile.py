"""`make load` workload (issue 8): signed-in users of the demo school on a running gunicorn.

Each simulated user signs in with one of the demo accounts (password `partyleague2026`, never a wrong one:
production settings lock an account after 5 failures), then, with 1–3 s of thinking between clicks:
browses the lists, opens details found on them, records a meeting with its attendance through the
meetings create form (accounts that may edit), opens the annual summary and the dashboard.

Run by `scripts/load.sh` (`locust --headless`); the host must be http://127.0.0.1:PORT.

The server uses production settings, whose session and CSRF cookies are `Secure`; the load test speaks plain
HTTP on 127.0.0.1, so the client marks the cookies it received as sendable over HTTP (`_unsecure`).
"""

from __future__ import annotations

import itertools
import random
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from locust import HttpUser, between, task

PASSWORD = "partyleague2026"
# (username, may record meetings)
ACCOUNTS = [
    ("admin", True),
    ("party", True),
    ("league", True),
    ("branch1", True),
    ("branch2", True),
    ("class", True),
    ("leader", False),
]
_next_account = itertools.cycle(ACCOUNTS)
_counter = itertools.count(1)

LISTS = [
    ("/meetings/", "meetings:list"),
    ("/members/", "members:list"),
    ("/activities/", "activities:list"),
    ("/meetings/calendar/", "meetings:calendar"),
    ("/meetings/frequency/", "meetings:frequency"),
    ("/members/pipeline/", "members:board"),
    ("/finance/", "finance:index"),
    ("/activities/honors/", "activities:honor_list"),
    ("/reports/", "reports:index"),
]
DETAIL_LINKS = {
    "meetings:detail": re.compile(r'href="(/meetings/\d+/)"'),
    "members:detail": re.compile(r'href="(/members/\d+/)"'),
    "activities:detail": re.compile(r'href="(/activities/\d+/)"'),
}


class FormParser(HTMLParser):
    """The fields a browser would submit for the first <form method=post> with a csrf token."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action"), "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "reset"):
                self._form["fields"].append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": [], "multiple": "multiple" in a}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["fields"].append((name, ""))

    def handle_data(self, data):
        if self._textarea and self._form:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            s = self._select
            values = s["chosen"] or ([] if s["multiple"] else [s["first"] or ""])
            self._form["fields"].extend((s["name"], v) for v in values)
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def post_form(html: str, field: str = "") -> dict | None:
    """The first POST form with a CSRF token (and `field`, when given: pages also hold the language form)."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        names = {k for k, _v in form["fields"]}
        if form["method"] == "post" and "csrfmiddlewaretoken" in names and (not field or field in names):
            return form
    return None


class SchoolUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.username, self.can_record = next(_next_account)
        self.details: dict[str, list[str]] = {}
        self.summary_url = None
        self.login()

    def _unsecure(self):
        for cookie in self.client.cookies:
            cookie.secure = False

    def login(self):
        page = self.client.get("/accounts/login/", name="login form")
        self._unsecure()
        form = post_form(page.text, "username")
        data = dict(form["fields"]) if form else {}
        data.update(username=self.username, password=PASSWORD)
        with self.client.post(
            "/accounts/login/", data=data, name="login", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.username} answered {response.status_code}")
        self._unsecure()

    def _get(self, url, name):
        response = self.client.get(url, name=name)
        self._unsecure()
        return response

    @task(8)
    def browse_a_list(self):
        url, name = random.choice(LISTS)
        response = self._get(url, name)
        for detail, pattern in DETAIL_LINKS.items():
            found = pattern.findall(response.text)
            if found:
                self.details[detail] = found[:20]
        if name == "reports:index":
            found = re.findall(r'href="(/reports/\d+/)"', response.text)
            if found:
                self.summary_url = found[-1]

    @task(5)
    def open_a_detail(self):
        if not self.details:
            self.browse_a_list()
            return
        name = random.choice(list(self.details))
        self._get(random.choice(self.details[name]), name)

    @task(1)
    def open_the_summary(self):
        if self.summary_url is None:
            self.browse_a_list()
            return
        self._get(self.summary_url, "reports:detail")

    @task(1)
    def open_the_dashboard(self):
        self._get("/", "dashboard")

    @task(1)
    def record_a_meeting(self):
        if not self.can_record:
            return
        choose = self._get("/meetings/new/", "meetings:create (choose)")
        orgs = re.findall(r'<option value="(\d+)"', choose.text)
        if orgs:
            org = random.choice(orgs)
            choose = self._get(f"/meetings/new/?org={org}", "meetings:create (choose)")
        links = re.findall(r'href="\?(org=\d+&amp;kind=[a-z_]+)"', choose.text)
        if not links:
            return
        url = "/meetings/new/?" + random.choice(links).replace("&amp;", "&")
        page = self._get(url, "meetings:create (form)")
        form = post_form(page.text, "topic")
        if form is None:
            return
        start = (datetime.now(tz=ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).replace(
            hour=15, minute=0, second=0, microsecond=0
        )
        n = next(_counter)
        overrides = {
            "topic": f"压力测试会议 {n}：学习贯彻党的二十大精神",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=1, minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "minutes": "会议传达学习了上级文件精神，与会同志结合工作实际进行了讨论。",
            "record_attendance": "on",
        }
        names = {k for k, _v in form["fields"]}
        if "lecture_title" in names:
            overrides["lecture_title"] = "党课：坚定理想信念"
        if "phase" in names:  # a Party–League joint meeting says which of the semester's three it is
            overrides["phase"] = random.choice(["plan", "progress", "summary"])
        payload = [(k, v) for k, v in form["fields"] if k not in overrides] + list(overrides.items())
        with self.client.post(
            url, data=payload, name="meetings:create (save)", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', response.text, re.S)
                errors = [re.sub(r"<[^>]+>|\s+", " ", e).strip() for e in errors]
                response.failure(f"meeting not saved ({response.status_code}): {errors[:3]}")
        self._unsecure()
