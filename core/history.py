"""Reading the audit trail: which models are audited, which organization owns a record (for access
checks, also for a deleted record via its last historical copy), and what each change changed.

A change of a sensitive field (an ID number, a phone, a salary) is shown masked to whoever may not read
the field on the record's own page (docs/privacy.md). core knows no app's rule: the app that owns the
model declares its sensitive fields, their masks and the rule with `register_sensitive` when it is ready
(members: `Person`; finance: `DuesAccount`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist


def audited_model(label: str):
    """The audited model for "app_label.model_name", or None."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if hasattr(model, "history") and hasattr(model._meta, "simple_history_manager_attribute") else None


# How to reach the owning organization from a record, tried in order. The first attribute that exists
# decides; a record owned by no organization is visible to administrators only.
OWNER_PATHS = (
    ("parent_id", None),  # an Organization owns itself
    ("organization", "organization"),
    ("meeting", "meeting.organization"),
    ("activity", "activity.organization"),
    ("person", "person.organization"),
    ("fund", "fund.organization"),
    ("drive", "drive.fund.organization"),
    ("account", "account.person.organization"),
    ("summary", "summary.organization"),
)


def owning_organization(obj):
    from branches.models import Organization

    if isinstance(obj, Organization) or obj.__class__.__name__ == "HistoricalOrganization":
        return obj if isinstance(obj, Organization) else Organization.objects.filter(pk=obj.id).first()
    for attr, path in OWNER_PATHS:
        if path is None or not hasattr(obj, attr):
            continue
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except (AttributeError, ObjectDoesNotExist):
            continue
        if value is not None:
            return value
    return None


@dataclass(frozen=True)
class SensitiveFields:
    masks: dict[str, Callable[[Any], str]]  # field name -> the value as shown masked
    can_see: Callable[[Any, Any], bool]  # (user, record as the model instance) -> may read the values


_SENSITIVE: dict[str, SensitiveFields] = {}


def register_sensitive(model, *, masks: dict[str, Callable[[Any], str]], can_see: Callable[[Any, Any], bool]):
    """Declare the sensitive fields of `model`: the history shows each through its mask unless
    `can_see(user, instance)` (the owning app's rule, the one its pages apply). Called from the app's
    `AppConfig.ready`."""
    _SENSITIVE[model._meta.label_lower] = SensitiveFields(masks, can_see)


def masks_for(user, record) -> dict[str, Callable[[Any], str]]:
    """The masks the history of `record`'s object needs for `user` (decided on `record`, the latest
    historical copy, as the object stands): {} when the user may read every field."""
    rule = _SENSITIVE.get(record.instance_type._meta.label_lower)
    if rule is None or rule.can_see(user, record.instance):
        return {}
    return rule.masks


def changes(records, *, masks: dict[str, Callable[[Any], str]] | None = None) -> list[dict]:
    """[{record, changes: [(field verbose name, old, new)]}] newest first, diffing each historical record
    against the one before it, in memory. A field in `masks` (see `masks_for`) shows its old and new
    values masked."""
    masks = masks or {}
    records = list(records)
    out = []
    for i, record in enumerate(records):
        prev = records[i + 1] if i + 1 < len(records) else None
        diffs = []
        if prev is not None and record.history_type == "~":
            delta = record.diff_against(prev)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                old, new = change.old, change.new
                if change.field in masks:
                    old, new = masks[change.field](old), masks[change.field](new)
                diffs.append((field.verbose_name, old, new))
        out.append({"record": record, "changes": diffs})
    return out
