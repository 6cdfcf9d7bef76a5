"""htmx lookup behind `members.widgets.PersonPicker`."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from branches.permissions import access

from .access import require
from .widgets import LookupFilters, person_label


@require_GET
def person_lookup(request):
    """At most 15 active people matching `q` (name, pinyin, initials) that the user may see, narrowed by
    the picker's whitelisted filters; an HTML fragment of buttons."""
    require(access(request.user).has_any_access)
    text = request.GET.get("q", "").strip()[:50]
    people = list(LookupFilters.from_params(request.GET).queryset(request.user, text))
    for p in people:
        p.label = person_label(p)
    return render(request, "members/widgets/person_picker_results.html", {"people": people, "searched": bool(text)})
