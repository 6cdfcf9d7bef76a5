"""A searchable person picker for forms that choose one person out of a whole school.

`PersonPicker` is a `<select>` that holds only the selected person (the pattern of Django admin's
`AutocompleteSelect`: `queryset.filter(pk__in=selected)`, never the whole queryset) plus a search box. Typing
a name, its pinyin or the pinyin initials asks `members:person_lookup` (htmx) for at most `LOOKUP_LIMIT`
matches; choosing one puts it into the `<select>` (members/static/members/person_picker.js, no inline
script). The form field's queryset still validates the submitted pk.

The suggestions follow the same rules as the field's queryset through a small whitelisted vocabulary of
filters (`LookupFilters`), always on top of the people the user may see (`members.access.people_for`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.urls import reverse

from branches.models import PATH_STEP, Organization
from branches.permissions import access, can_edit
from core.forms import parse_pk

from .access import visible_q
from .models import Category, Person, PoliticalStatus
from .models.people import IN_LEAGUE

LOOKUP_LIMIT = 15
STAFF_CATEGORIES = [Category.TEACHER, Category.STAFF]

CATEGORY_FILTERS = {
    "student": Q(category=Category.STUDENT),
    "staff": Q(category__in=STAFF_CATEGORIES),
}
STATUS_FILTERS = {
    "full": Q(political_status=PoliticalStatus.FULL_MEMBER),
    "league": IN_LEAGUE,  # League members by their League membership (meetings' LEAGUE_MEMBERS)
    "pipeline": Q(political_status__in=[PoliticalStatus.DEVELOPMENT_TARGET, PoliticalStatus.PROBATIONARY]),
}
AREAS = ("subtree", "school", "developed")


def person_label(person: Person) -> str:
    """How a person reads in a picker: name and (short) organization name."""
    org = person.organization
    return f"{person.name}（{org.short_name or org.name}）"


@dataclass(frozen=True)
class LookupFilters:
    """What a picker may narrow its suggestions to. Every value comes from a whitelist; anything else is
    ignored. `org` + `area` restrict to the organization's subtree, its whole school, or ("developed") its
    subtree together with the people its Party organizations develop (meetings' vote subjects); `with_staff` adds
    the teachers and staff of that school (chair, recorder, lecturer), but only for a user who may edit
    `org` — the forms that offer them open only for such users."""

    org: int | None = None
    area: str = "subtree"
    with_staff: bool = False
    category: str = ""
    status: str = ""
    exclude: int | None = None
    editable: bool = False

    def as_params(self) -> dict:
        params = {
            "org": self.org,
            "area": self.area if self.org and self.area != "subtree" else None,
            "with_staff": "1" if self.with_staff and self.org else None,
            "category": self.category or None,
            "status": self.status or None,
            "exclude": self.exclude,
            "editable": "1" if self.editable else None,
        }
        return {k: v for k, v in params.items() if v is not None}

    @classmethod
    def from_params(cls, params) -> LookupFilters:
        area = params.get("area", "subtree")
        category = params.get("category", "")
        status = params.get("status", "")
        return cls(
            org=parse_pk(params.get("org")),
            area=area if area in AREAS else "subtree",
            with_staff=params.get("with_staff") == "1",
            category=category if category in CATEGORY_FILTERS else "",
            status=status if status in STATUS_FILTERS else "",
            exclude=parse_pk(params.get("exclude")),
            editable=params.get("editable") == "1",
        )

    def queryset(self, user, text: str):
        """Active people matching `text` that `user` may see, narrowed by these filters, at most
        `LOOKUP_LIMIT`, in pinyin order."""
        text = (text or "").strip()
        a = access(user)
        if not text or not a.has_any_access:
            return Person.objects.none()
        seen = visible_q(user)
        where = Q()
        org = Organization.objects.filter(pk=self.org).first() if self.org else None
        if org is not None:
            prefix = org.path[:PATH_STEP] if self.area == "school" else org.path
            where = Q(organization__path__startswith=prefix)
            if self.area == "developed":
                where |= Q(party_organization__path__startswith=org.path)
            if self.with_staff and can_edit(user, org):
                staff = Q(organization__path__startswith=org.path[:PATH_STEP], category__in=STAFF_CATEGORIES)
                where |= staff
                if not a.sees_everything:  # Q() | staff would narrow "everyone" down to the staff
                    seen |= staff
        if self.category:
            where &= CATEGORY_FILTERS[self.category]
        if self.status:
            where &= STATUS_FILTERS[self.status]
        if self.editable:
            where &= a.editable_org_q("organization")
        qs = Person.objects.active().filter(seen).filter(where).search(text)
        if self.exclude:
            qs = qs.exclude(pk=self.exclude)
        return qs.select_related("organization").order_by("pinyin", "pk")[:LOOKUP_LIMIT]


class PersonPicker(forms.Select):
    """A `<select>` holding only the chosen person, with a search box that fetches candidates."""

    template_name = "members/widgets/person_picker.html"
    option_inherits_attrs = False

    def __init__(self, attrs=None, filters: LookupFilters | None = None):
        super().__init__(attrs)
        self.filters = filters or LookupFilters()

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.filters = self.filters
        return obj

    def lookup_url(self) -> str:
        params = self.filters.as_params()
        url = reverse("members:person_lookup")
        return f"{url}?{urlencode(params)}" if params else url

    def optgroups(self, name, value, attrs=None):
        """Only the selected people: one query, whatever the size of the queryset."""
        field = getattr(self.choices, "field", None)
        ids = [pk for pk in (parse_pk(v) for v in value) if pk is not None]
        options = [self.create_option(name, "", getattr(field, "empty_label", None) or "---------", not ids, 0)]
        if ids and field is not None:
            people = field.queryset.filter(pk__in=ids).select_related("organization")
            for index, person in enumerate(people, start=1):
                options.append(self.create_option(name, str(person.pk), person_label(person), True, index))
        return [(None, options, 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["lookup_url"] = self.lookup_url()
        return context


def use_person_picker(field: forms.ModelChoiceField, queryset, filters: LookupFilters | None = None) -> None:
    """Give an existing person field (e.g. a model form's foreign key) the picker and its queryset."""
    field.widget = PersonPicker(attrs=field.widget.attrs, filters=filters)
    field.widget.is_required = field.required
    field.queryset = queryset  # also hands the choices to the new widget
