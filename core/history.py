"""Reading the audit trail: which models are audited, who owns a record (for access checks, also for a
deleted record via its last historical copy), who may read and restore, and what each change changed.

core knows no app. Each audited model says who owns it with a method `history_organization()` (an
organization, or None: then administrators only), read on the object as its latest historical copy shows it.
Who may read a history and who may restore deleted records is decided by the app that decides access
(branches), which installs its rules with `set_access_policy` when it is ready; until then nobody may.

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


def owner_of(record):
    """The owner of the object `record` (a historical copy) belongs to, as its model's `history_organization()`
    answers on the object as it stood then; None when the model declares no owner or the owner is gone."""
    instance = record.instance
    if not hasattr(instance, "history_organization"):
        return None
    try:
        return instance.history_organization()
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class AccessPolicy:
    can_read: Callable[[Any, Any], bool]  # (user, owner or None) -> may read the history of a record it owns
    can_restore: Callable[[Any], bool]  # (user) -> may list deleted records and restore them


_policy = AccessPolicy(can_read=lambda user, owner: False, can_restore=lambda user: False)


def set_access_policy(*, can_read: Callable[[Any, Any], bool], can_restore: Callable[[Any], bool]) -> None:
    """Install who may read a record's history and who may restore deleted records. Called from the
    `AppConfig.ready` of the app that decides access (branches)."""
    global _policy
    _policy = AccessPolicy(can_read=can_read, can_restore=can_restore)


def may_read(user, owner) -> bool:
    return _policy.can_read(user, owner)


def may_restore(user) -> bool:
    return _policy.can_restore(user)


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
