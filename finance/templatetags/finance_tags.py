from django import template

from finance.dues import format_yuan
from finance.selectors import mask_name

register = template.Library()


@register.filter
def yuan(value):
    """A Decimal amount as 84,506.30 (exact: no float on the way)."""
    return format_yuan(value)


@register.filter
def masked(value):
    """A recipient's name for who may not know who was aided: 张某某, 李某 (`finance.selectors.mask_name`)."""
    return mask_name(str(value or ""))


@register.filter
def absolute(value):
    return abs(value) if value is not None else value
