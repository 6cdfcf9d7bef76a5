"""The Due list names its providers by dotted path (reports.due.DUE_PROVIDERS): each must import, and a
missing or misspelt one fails loudly instead of leaving an app's items out of the list."""

import pytest
from django.utils import timezone

from core.due import DueItem
from reports import due
from reports.due import DUE_PROVIDERS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", DUE_PROVIDERS)
def test_every_listed_provider_imports_and_answers_a_list(path, party_secretary):
    items = due._load(path)(party_secretary, timezone.localdate())
    assert isinstance(items, list) and all(isinstance(item, DueItem) for item in items)


@pytest.mark.parametrize("path", ["members.selectors.no_such_provider", "no_such_app.selectors.due_items"])
def test_a_missing_provider_raises(monkeypatch, party_secretary, path):
    monkeypatch.setattr(due, "DUE_PROVIDERS", [*DUE_PROVIDERS, path])
    with pytest.raises(ImportError):
        due._collect(party_secretary, timezone.localdate())
