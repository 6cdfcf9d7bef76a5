from django import forms
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .dates import EARLIEST, LATEST, validate_in_range


class DateInput(forms.DateInput):
    """An HTML5 date picker that round-trips ISO dates."""

    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def guard_date_field(field: forms.Field) -> None:
    """Limit a date or datetime form field to core.dates' range: refuse anything outside it, and tell the
    browser's date picker the same bounds. Other fields are left alone; calling it twice changes nothing."""
    if not isinstance(field, DATE_FIELDS):
        return
    if validate_in_range not in field.validators:
        field.validators.append(validate_in_range)
    bounds = {
        "date": (EARLIEST.isoformat(), LATEST.isoformat()),
        "datetime-local": (f"{EARLIEST.isoformat()}T00:00", f"{LATEST.isoformat()}T23:59"),
    }.get(field.widget.attrs.get("type") or getattr(field.widget, "input_type", None))
    if bounds:
        field.widget.attrs.setdefault("min", bounds[0])
        field.widget.attrs.setdefault("max", bounds[1])


class DateRangeMixin:
    """Put it first in the bases of every form of the project (`class F(DateRangeMixin, forms.Form)`;
    `VersionedModelForm` has it): all its date and datetime fields, declared, derived from the model or
    added in `__init__`, then refuse dates outside core.dates' range before `clean()` sees them.
    tests/core/test_date_range.py fails for a form with a date field that lacks it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._guard_dates()

    def full_clean(self):
        self._guard_dates()  # fields a subclass added after this __init__ ran
        super().full_clean()

    def _guard_dates(self):
        for field in self.fields.values():
            guard_date_field(field)


class VersionedModelForm(DateRangeMixin, forms.ModelForm):
    """A model form that refuses to overwrite a record someone else saved since this form was opened.

    The record's `version` travels in a hidden field; the save bumps it atomically, and a mismatch is a
    form error, so the user's input stays on the page."""

    record_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    stale_message = _(
        "Someone else saved this record while you were editing it. Your changes are still in the form: "
        "open the record in a new tab to see theirs, then save again."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["record_version"].initial = self.instance.version

    def _saved_version(self) -> int | None:
        return type(self.instance).objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            sent, current = cleaned.get("record_version"), self._saved_version()
            if sent is None or current != sent:
                # The refused page carries the version now saved, so that "save again" (after looking at the
                # other person's changes, as the message says) goes through instead of being refused for ever.
                self.data = self.data.copy()
                self.data[self.add_prefix("record_version")] = current
                raise forms.ValidationError(self.stale_message, code="stale")
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        obj = super().save(commit=False)
        if obj.pk:
            sent = self.cleaned_data.get("record_version")
            model = type(obj)
            locked = model.objects.select_for_update().filter(pk=obj.pk, version=sent).exists()
            if not locked:
                raise forms.ValidationError(self.stale_message, code="stale")
            obj.version = sent + 1
        if commit:
            obj.save()
            self._save_m2m()
        return obj


MAX_PK = 2**63 - 1


def parse_pk(value) -> int | None:
    """An id read from a query string or a posted form: a whole number written in ASCII digits, from 1 up to
    the database's largest id; None for anything else. `str.isdigit()` is not enough: it lets "²" through,
    which `int()` refuses (a 500), and an id beyond the range overflows SQLite."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PK)):
        return None
    pk = int(text)
    return pk if 0 < pk <= MAX_PK else None


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rejects ids that are not whole numbers within the database's range before querying: Django passes
    them to `pk__in` as they come, and SQLite raises OverflowError (a 500) for an id like 10**30."""

    def _check_values(self, value):
        for pk in value:
            if parse_pk(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


def errors_text(form) -> str:
    """A form's errors as one line for a message: "Head count: Ensure this value is greater than or equal
    to 1." — each field's label (not its name), errors of the whole form without one."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            if field is not None and field.label:
                error = gettext("%(label)s: %(error)s") % {"label": field.label, "error": error}
            parts.append(str(error))
    return gettext("; ").join(parts)
