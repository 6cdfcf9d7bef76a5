from collections.abc import Callable

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, VersionedModelForm

from .models import ALLOWED_CHILDREN, PATH_STEP, Election, Officer, Organization, OrgKind
from .permissions import school_accounts


class OrganizationForm(VersionedModelForm):
    class Meta:
        model = Organization
        fields = [
            "parent",
            "kind",
            "name",
            "short_name",
            "for_staff",
            "grade",
            "class_number",
            "founded_on",
            "dissolved_on",
            "sort_order",
            "notes",
        ]
        widgets = {"founded_on": DateInput(), "dissolved_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"dissolved_on": _("Dissolving keeps the organization and its history; it becomes inactive.")}

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents
        self.fields["parent"].required = True
        self.fields["kind"].choices = [c for c in OrgKind.choices if c[0] != OrgKind.SCHOOL]

    def clean(self):
        cleaned = super().clean()
        parent, kind = cleaned.get("parent"), cleaned.get("kind")
        if parent and kind and kind not in ALLOWED_CHILDREN.get(parent.kind, set()):
            self.add_error(
                "kind",
                forms.ValidationError(
                    _("A %(kind)s cannot be placed under a %(parent)s."),
                    code="bad_parent",
                    params={"kind": OrgKind(kind).label, "parent": parent.get_kind_display()},
                ),
            )
        if "dissolved_on" in self.changed_data and not cleaned.get("dissolved_on"):
            self.instance.is_active = True  # the dissolution date cleared: the organization exists again
        if kind == OrgKind.LEAGUE_BRANCH and not cleaned.get("for_staff"):
            for field in ("grade", "class_number"):
                if not cleaned.get(field):
                    self.add_error(
                        field, forms.ValidationError(_("Required for a class League branch."), code="required")
                    )
        grade = cleaned.get("grade")
        if grade and not 1990 <= grade <= 2100:
            self.add_error("grade", forms.ValidationError(_("Enter the year of entry, e.g. 2025."), code="grade_range"))
        if kind == OrgKind.LEAGUE_BRANCH and parent and grade and cleaned.get("class_number"):
            clash = Organization.objects.filter(
                parent=parent, kind=kind, grade=grade, class_number=cleaned["class_number"]
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "class_number",
                    forms.ValidationError(_("This class already has a League branch."), code="duplicate_class"),
                )
        return cleaned


# Who may hold a post is a question about people, and the tree knows no people (branches sits below members
# in the layers, docs/architecture.md). members, which owns people, sets up the officer form's person field
# (its choices and its searchable picker) when it is ready: `set_officer_person_field` in members.apps.
_officer_person_field: Callable[[forms.ModelChoiceField, Organization], None] | None = None


def set_officer_person_field(setup: Callable[[forms.ModelChoiceField, Organization], None]) -> None:
    """Let the app that owns people set up `OfficerForm`'s person field for an organization: `setup(field,
    organization)` gives the field its queryset and widget. Called from that app's `AppConfig.ready`."""
    global _officer_person_field
    _officer_person_field = setup


class OfficerForm(VersionedModelForm):
    class Meta:
        model = Officer
        fields = ["person", "user", "post", "started_on", "ended_on", "election"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args, organization: Organization, offer_unlinked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["election"].queryset = organization.elections.all()
        # Only the school's own accounts: a post gives its account reach over the organization, and the list
        # must not name the other schools' accounts. `offer_unlinked`: the administrator links new accounts.
        self.fields["user"].queryset = school_accounts(organization.path[:PATH_STEP], unlinked=offer_unlinked)
        if _officer_person_field is None:  # never the plain select: it would list every person of every school
            raise ImproperlyConfigured("No app set up the officer form's person field (set_officer_person_field).")
        _officer_person_field(self.fields["person"], organization)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("started_on"), cleaned.get("ended_on")
        if start and end and end < start:
            self.add_error(
                "ended_on", forms.ValidationError(_("The term cannot end before it starts."), code="term_order")
            )
        if not cleaned.get("person") and not cleaned.get("user"):
            raise forms.ValidationError(_("Choose the person or the user account holding the post."), code="no_holder")
        return cleaned


class ElectionForm(VersionedModelForm):
    class Meta:
        model = Election
        fields = ["held_on", "title", "posts_filled", "notes"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
