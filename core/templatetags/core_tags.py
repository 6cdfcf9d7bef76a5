from django import template
from django.utils.http import urlencode

from branches.periods import presets

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (pagination, sorting, filters)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(sorted(params.lists()), doseq=True)


@register.inclusion_tag("includes/period_picker.html", takes_context=True)
def period_picker(context, period, name="period"):
    request = context["request"]
    others = [(k, v) for k, vs in request.GET.lists() if k not in (name, "page") for v in vs]
    return {"period": period, "presets": presets(), "name": name, "others": others}
