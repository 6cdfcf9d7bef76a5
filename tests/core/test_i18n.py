"""The UI speaks Chinese by default and English on request; dates are written the Chinese way."""

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def chinese_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_login_page_is_chinese_by_default(client, chinese_default):
    body = client.get(reverse("login")).content.decode()
    assert "登录" in body
    assert 'lang="zh-hans"' in body


def test_language_switch_to_english_and_back(client_for, orgs, party_secretary, chinese_default):
    client = client_for(party_secretary)
    url = reverse("branches:tree")
    assert "组织" in client.get(url).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    body = client.get(url).content.decode()
    assert "Organizations" in body and 'lang="en"' in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    assert 'lang="zh-hans"' in client.get(url).content.decode()


def test_dates_are_written_the_chinese_way():
    with translation.override("zh-hans"):
        rendered = Template('{{ d|date:"DATE_FORMAT" }}').render(Context({"d": date(2026, 11, 25)}))
    assert rendered == "2026年11月25日"


def test_chinese_catalogue_translates_domain_terms():
    from branches.models import OrgKind

    with translation.override("zh-hans"):
        assert str(OrgKind.PARTY_BRANCH.label) == "党支部"
        assert str(OrgKind.LEAGUE_BRANCH.label) == "团支部"
