from django import template

from branches.periods import presets

register = template.Library()


@register.inclusion_tag("includes/period_picker.html", takes_context=True)
def period_picker(context, period, name="period"):
    """The period chooser (this year, this semester, … or dates) that keeps the page's other parameters."""
    request = context["request"]
    others = [(k, v) for k, vs in request.GET.lists() if k not in (name, "page") for v in vs]
    return {"period": period, "presets": presets(), "name": name, "others": others}
