"""Every label renders the translation its own app's catalogue gives it.

Django merges all catalogues into one: the project's `locale/` first, then the installed apps in order
(Django's own and third-party apps before ours). The same msgid translated two ways — "Reason" as 事由 in
meetings and 资助事由 in finance, "From" as 起 in reports and 来源 IP in axes — renders whichever catalogue
wins, so a page shows another app's word. A word with two meanings takes a `pgettext` context; a word
with one meaning takes one translation everywhere."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import trans_real

OUR_APPS = ["core", "branches", "members", "meetings", "activities", "finance", "reports"]


def _catalogues() -> list[tuple[str, Path]]:
    base = Path(settings.BASE_DIR)
    found = [(app, base / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo") for app in OUR_APPS]
    found.append(("project", base / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"))
    return [(name, path) for name, path in found if path.exists()]


CATALOGUES = [pytest.param(name, path, id=name) for name, path in _catalogues()]


def test_each_app_has_a_compiled_chinese_catalogue():
    assert {name for name, _path in _catalogues()} >= set(OUR_APPS)


@pytest.mark.parametrize("name,path", CATALOGUES)
def test_no_label_renders_another_catalogues_translation(name, path):
    merged = trans_real.translation("zh-hans")._catalog
    with path.open("rb") as fh:
        own = gettext.GNUTranslations(fh)._catalog
    clashes = []
    for msgid, text in own.items():
        if not msgid or not text:
            continue
        shown = merged.get(msgid)
        if shown != text:
            clashes.append(f"{msgid!r}: {name} says {text!r}, the page shows {shown!r}")
    assert not clashes, "\n".join(clashes)
