from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from branches.periods import Period, is_period_key
from core.forms import DateInput, SafeModelMultipleChoiceField, VersionedModelForm
from members.models import Person
from members.widgets import LookupFilters, use_person_picker

from .models import Activity, Category, HeadCount, Honor, HonorLevel, Photo, Place, Series
from .selectors import usable_in_subtree_q


class ActivityForm(VersionedModelForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "category",
            "series",
            "organization",
            "co_organizers",
            "starts_on",
            "ends_on",
            "place",
            "service_hours",
            "description",
            "outcome",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "co_organizers": forms.SelectMultiple(attrs={"size": 6}),
        }
        field_classes = {"co_organizers": SafeModelMultipleChoiceField}

    def __init__(self, *args, editable, viewable, **kwargs):
        """`editable`: organizations the user may edit (lead organizer choices); `viewable`: those they may
        view (co-organizer choices)."""
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = editable
        self.fields["co_organizers"].queryset = viewable
        usable = usable_in_subtree_q(list(editable))
        self.fields["place"].queryset = Place.objects.filter(usable, is_active=True)
        self.fields["series"].queryset = Series.objects.filter(usable)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error(
                "ends_on", forms.ValidationError(_("The activity cannot end before it starts."), code="order")
            )
        lead, co = cleaned.get("organization"), cleaned.get("co_organizers")
        if lead and co and lead in co:
            self.add_error(
                "co_organizers",
                forms.ValidationError(_("The lead organizer is not also a co-organizer."), code="lead_is_co"),
            )
        series = cleaned.get("series")
        if series and start and series.year != start.year:
            self.add_error(
                "series",
                forms.ValidationError(
                    _("This series is of %(year)s; the activity starts in %(start)s."),
                    code="series_year",
                    params={"year": series.year, "start": start.year},
                ),
            )
        return cleaned


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    series = forms.ModelChoiceField(label=_("Series"), queryset=Series.objects.none(), required=False)
    organizer = forms.ModelChoiceField(label=_("Organizer"), queryset=Organization.objects.none(), required=False)
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), required=False)
    period = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, series, organizations, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *Category.choices]
        self.fields["series"].queryset = series
        self.fields["organizer"].queryset = organizations
        self.fields["place"].queryset = places
        for name in ("series", "organizer", "place"):
            self.fields[name].empty_label = _("All")
        for name, f in self.fields.items():
            css = "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            f.widget.attrs.setdefault("class", css)
        self.fields["q"].widget.attrs["placeholder"] = _("Title or description")

    def clean_period(self):
        value = self.cleaned_data.get("period")
        return Period.parse(value) if value and is_period_key(value) else None


class ParticipantPickForm(forms.Form):
    """Step one picks organizations (their members appear ticked); step two posts the ticked people.
    People shown but not ticked are the exceptions."""

    organizations = forms.ModelMultipleChoiceField(
        label=_("Classes or organizations"), queryset=Organization.objects.none()
    )
    people = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    hours = forms.DecimalField(
        label=_("Service hours each"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
        help_text=_("Empty: the activity's hours."),
    )

    def __init__(self, *args, organizations, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations
        self.fields["people"].queryset = candidates

    def exceptions(self, members) -> list:
        """Members of the chosen organizations that were not ticked."""
        ticked = {p.pk for p in self.cleaned_data.get("people") or []}
        return [m for m in members if m.pk not in ticked]


class HeadCountForm(forms.ModelForm):
    class Meta:
        model = HeadCount
        fields = ["organization", "count", "hours_per_head"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def validate_unique(self):
        # A second head count for the same class corrects the first (see head_count_set).
        pass


class ParticipantImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        help_text=_("First row: 姓名 (name), 班级 (class) or 身份证号 (ID number), optionally 时长 (hours)."),
    )


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "caption"]
        widgets = {"image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}


class PlaceForm(VersionedModelForm):
    class Meta:
        model = Place
        fields = ["organization", "name", "kind", "address", "since", "is_active", "notes"]
        widgets = {"since": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, editable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = editable

    def clean(self):
        cleaned = super().clean()
        org, name = cleaned.get("organization"), cleaned.get("name")
        if org and name and Place.objects.filter(organization=org, name=name).exclude(pk=self.instance.pk).exists():
            self.add_error("name", forms.ValidationError(_("This place is already recorded."), code="duplicate"))
        return cleaned


class SeriesForm(VersionedModelForm):
    class Meta:
        model = Series
        fields = ["organization", "name", "year", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, editable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = editable

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year such as 2026."), code="year_range")
        return year


class HonorForm(VersionedModelForm):
    class Meta:
        model = Honor
        fields = ["organization", "person", "title", "level", "awarding_body", "awarded_on", "certificate", "notes"]
        widgets = {"awarded_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, editable, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = editable
        self.fields["organization"].required = False
        # Picked by searching among the people of organizations the user may edit (the view's `people`).
        use_person_picker(self.fields["person"], people, LookupFilters(editable=True))
        self.fields["level"].choices = [("", "---------"), *HonorLevel.choices]

    def clean(self):
        cleaned = super().clean()
        person, org = cleaned.get("person"), cleaned.get("organization")
        if person:
            # A person's honor is kept with the person's organization, which then decides access.
            if not self.fields["organization"].queryset.filter(pk=person.organization_id).exists():
                self.add_error(
                    "person", forms.ValidationError(_("You may not record honors for this person."), code="person")
                )
            cleaned["organization"] = person.organization
            self.instance.organization = person.organization
        elif not org:
            self.add_error(
                "organization", forms.ValidationError(_("Choose the organization or the person honored."), code="who")
            )
        return cleaned
