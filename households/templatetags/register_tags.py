"""Show register codes as their labels in templates: {{ h.attribute|code_label:"attribute" }}."""

from django import template
from django.utils.translation import gettext as _

from povertycase.core import codes

from ..history import display_name
from ..models.register import split_codes

register = template.Library()


@register.filter
def code_label(code, list_name):
    return codes.label(list_name, code)


@register.filter
def code_labels(value, list_name):
    return "、".join(codes.label(list_name, c) for c in split_codes(value))


@register.filter
def yes_no(value):
    if value is None:
        return _("Not filled")
    return _("Yes") if value else _("No")


@register.filter
def dict_get(mapping, key):
    return mapping.get(key, "")


@register.filter
def person_name(user):
    """A user as people read the name: family name first (李文斌), else the login."""
    return display_name(user) if user else ""
