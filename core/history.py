"""Reading the audit trail: which models are audited, which organization owns a record (for access
checks, also for a deleted record via its last historical copy), and what each change changed."""

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


def changes(records) -> list[dict]:
    """[{record, changes: [(field verbose name, old, new)]}] newest first, diffing each historical record
    against the one before it, in memory."""
    records = list(records)
    out = []
    for i, record in enumerate(records):
        prev = records[i + 1] if i + 1 < len(records) else None
        diffs = []
        if prev is not None and record.history_type == "~":
            delta = record.diff_against(prev)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                diffs.append((field.verbose_name, change.old, change.new))
        out.append({"record": record, "changes": diffs})
    return out
