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
    """A name for a public notice: 张*伟, 李*."""
    return mask_name(str(value or ""))


@register.filter
def absolute(value):
    return abs(value) if value is not None else value
