"""Every page requires login: walk the URL conf so that new pages are covered automatically."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages that must work without a session: the login page itself, the language switch, and token-
# authenticated feeds (the token is the credential).
PUBLIC = {"login", "set_language", "javascript-catalog", "favicon"}
PUBLIC_PREFIXES = ("meetings:ical",)


def iter_patterns(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns == "admin":
                continue
            yield from iter_patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name, prefix + str(p.pattern)


def concrete(route: str) -> str:
    """Turn a route pattern into a URL with plausible values for its converters."""
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<slug:[^>]+>", "x", route)
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<(str:)?[^>]+>", "x", route)
    route = route.replace("^", "").replace("$", "")
    return "/" + route


def all_pages():
    return sorted({(name or "", concrete(route)) for name, route in iter_patterns()})


def test_the_walk_finds_the_apps_pages():
    names = {name for name, _url in all_pages()}
    assert {"dashboard", "branches:tree", "members:list", "meetings:list"} <= names


@pytest.mark.parametrize(("name", "url"), all_pages())
def test_anonymous_user_is_sent_to_login(client, name, url):
    if name in PUBLIC or name.startswith(PUBLIC_PREFIXES):
        pytest.skip("public by design")
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, f"{name} {url} answered {response.status_code}"
        assert response["Location"].startswith("/accounts/login/"), f"{name} {url} → {response['Location']}"
