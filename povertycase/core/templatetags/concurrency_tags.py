from django import template
from django.utils.html import format_html

from povertycase.core.concurrency import SUBMISSION_FIELD, VERSION_FIELD, new_submission_token

register = template.Library()


@register.simple_tag
def version_field(version):
    """The hidden version an edit form was loaded at."""
    return format_html('<input type="hidden" name="{}" value="{}">', VERSION_FIELD, version or "")


@register.simple_tag
def submission_field():
    """A fresh one-time token for a create form, so a double click stores one record."""
    return format_html('<input type="hidden" name="{}" value="{}">', SUBMISSION_FIELD, new_submission_token())
