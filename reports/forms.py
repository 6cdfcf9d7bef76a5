import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.periods import Period, academic_year, calendar_year, custom, semester
from core.forms import DateRangeMixin, VersionedModelForm

from .models import SummarySection
from .narrative import clean_narrative, editable_text, plain_narrative


def period_choices(today) -> list[tuple[str, str]]:
    """The periods a summary can cover: recent calendar years, academic years and semesters."""
    out = []
    for y in range(today.year, today.year - 5, -1):
        p = calendar_year(y)
        out.append((p.key, p.label))
    start = today.year if today.month >= 9 else today.year - 1
    for y in range(start, start - 3, -1):
        p = academic_year(y)
        out.append((p.key, p.label))
    for y in range(start, start - 2, -1):
        for p in (semester(y + 1, "spring"), semester(y, "autumn")):
            if p.start <= today:
                out.append((p.key, p.label))
    out.append(("custom", _("Custom range")))
    return out


class SummaryCreateForm(DateRangeMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    period = forms.ChoiceField(label=_("Period"))
    start = forms.DateField(
        label=pgettext_lazy("start of a period", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty for the usual title.")
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["period"].choices = period_choices(timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("period")
        if key == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both dates of the custom range."), code="custom_dates")
            if end < start:
                raise forms.ValidationError(_("The range cannot end before it starts."), code="range_order")
            cleaned["period_obj"] = custom(start, end)
        elif key:
            cleaned["period_obj"] = Period.parse(key)
        return cleaned


class SectionForm(VersionedModelForm):
    """A section's narrative, from the rich editor (its script posts the markup, figures as chips) or, without
    JavaScript, from the plain text box (figures as their names in braces). `labels` names the summary's
    figures by key: only those become figures; `unrecognized` then lists what stayed plain text."""

    class Meta:
        model = SummarySection
        fields = ["narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 14})}
        labels = {"narrative": pgettext_lazy("a summary section's text", "Text")}
        help_texts = {
            "narrative": _(
                "One paragraph per line. Start a line with “- ” for a bulleted list or with “1. ” for a numbered "
                "one; put two asterisks on each side of words to make them bold (**like this**). A figure is "
                "written as its name in curly braces, as listed beside the text, and prints the current number. "
                "Text in 【】 is a prompt to replace."
            )
        }

    def __init__(self, *args, labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = labels
        self.unrecognized: list[str] = []
        if not self.is_bound:
            self.initial["narrative"] = editable_text(self.instance.narrative, labels)

    def clean_narrative(self):
        text = self.cleaned_data.get("narrative", "")
        if re.search(r"<[a-zA-Z/]", text):
            html, self.unrecognized = clean_narrative(text, known=self.labels)
        else:
            html, self.unrecognized = plain_narrative(text, self.labels)
        return html


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
