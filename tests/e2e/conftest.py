"""Real-browser harness: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright never downloads a browser here: it launches /usr/bin/chromium. One browser per e2e package
run; each test gets a fresh context (cookies, viewport) and a page whose console errors and uncaught
exceptions fail the journey (a CSP violation or a broken script is a bug a user would hit)."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import chromium_path

# Playwright's sync API keeps an asyncio loop on the main thread; Django's ORM refuses to run there
# unless told that this is deliberate (the live server and the test share one process).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = chromium_path() or "/usr/bin/chromium"  # the same lookup that decides whether e2e tests run
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# `make screenshots` refreshes the pictures in docs/screenshots/ (shown in the README); ordinary test runs
# write them to the git-ignored test-results/ folder so they don't leave the work tree modified.
_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = _ROOT / ("docs/screenshots" if os.environ.get("PARTYLEAGUE_SCREENSHOTS") else "test-results/screenshots")
PASSWORD = "pass12345"  # tests.factories.UserFactory's password


@pytest.fixture(autouse=True)
def _role_groups(django_db_setup, django_db_blocker):
    """The role groups come from a data migration, and the flush that ends every live-server
    (transactional) test removes them: put them back before and after each journey, so the seed and
    the tests that run after this package find them."""
    from django.contrib.auth.models import Group

    from branches.permissions import Role

    def ensure():
        with django_db_blocker.unblock():
            for role in Role:
                Group.objects.get_or_create(name=role)

    ensure()
    yield
    ensure()


@pytest.fixture(scope="package")
def e2e_browser():
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    pw.stop()


class Browser:
    """A page in a fresh context, with the helpers every journey needs."""

    def __init__(self, browser, base_url: str):
        self._browser = browser
        self.base_url = base_url
        self.errors: list[str] = []
        self.context = None
        self.page = None
        self.open_context(DESKTOP)

    def open_context(self, viewport: dict, *, cookies: list | None = None):
        if self.context is not None:
            cookies = cookies if cookies is not None else self.context.cookies()
            self.context.close()
        self.context = self._browser.new_context(
            base_url=self.base_url,
            viewport=viewport,
            accept_downloads=True,
            locale="zh-CN",  # a school's browser: Chinese date pickers and Accept-Language
            timezone_id="Asia/Shanghai",
        )
        self.context.set_default_timeout(10_000)
        if cookies:
            self.context.add_cookies(cookies)
        self.page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        return self.page

    def _on_console(self, msg):
        if msg.type == "error":
            self.errors.append(f"console: {msg.text} @ {self.page.url}")

    def set_language(self, code: str):
        """Choose the UI language the way a returning user's browser would: the language cookie."""
        host = self.base_url.split("//", 1)[1].split(":")[0]
        self.context.add_cookies([{"name": "django_language", "value": code, "domain": host, "path": "/"}])

    def login(self, username: str, password: str = PASSWORD, *, next_url: str = "/"):
        page = self.page
        page.goto(f"/accounts/login/?next={next_url}")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"login failed for {username}: {page.url}"
        return page

    def submit(self, form: str = "main form[method=post]"):
        """Click the form's submit button and wait for the answer page."""
        with self.page.expect_navigation():
            self.page.locator(f"{form} button[type=submit]").first.click()
        return self.page

    def goto(self, url: str):
        response = self.page.goto(url)
        assert response is not None and response.ok, f"{url} answered {response and response.status}"
        return self.page

    def screenshot(self, name: str, *, full_page: bool = False):
        """Write docs/screenshots/<name>.png, overwritten on every run. The 1280×800 viewport keeps each
        file well under 300 KB; use full_page only where the whole page is the point."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def horizontal_overflow(self) -> str | None:
        """None when the page fits the window; otherwise what sticks out (the outermost culprits)."""
        width, inner = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width <= inner:
            return None
        culprits = self.page.evaluate(
            """() => {
              const out = [];
              for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.right > window.innerWidth + 1 && !out.some(o => o.el.contains(el))) {
                  out.push({el, d: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)}`});
                }
              }
              return out.slice(0, 5).map(o => o.d);
            }"""
        )
        return f"{self.page.url}: {width}px > {inner}px ({'; '.join(culprits)})"

    def assert_no_horizontal_scroll(self):
        overflow = self.horizontal_overflow()
        assert overflow is None, f"scrolls sideways on a phone: {overflow}"

    def assert_no_console_errors(self):
        errors, self.errors = self.errors, []
        assert not errors, "browser errors:\n" + "\n".join(errors)


@pytest.fixture
def web(e2e_browser, live_server, transactional_db):
    b = Browser(e2e_browser, live_server.url)
    yield b
    b.context.close()
    if b.errors:
        pytest.fail("browser errors:\n" + "\n".join(b.errors))


def pdf_first_page_png(pdf_path: Path, name: str) -> Path:
    """Render page 1 of a PDF to docs/screenshots/<name>.png with poppler's pdftoppm."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = SCREENSHOTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(prefix)],
        check=True,
        timeout=60,
    )
    return prefix.with_suffix(".png")
