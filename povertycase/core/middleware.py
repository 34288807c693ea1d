"""Refuse query strings and paths holding control characters before any view parses them."""

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# C0 controls and DEL, tab and line breaks aside (a search pasted from a spreadsheet may hold them).
# PostgreSQL refuses NUL in any text parameter; no page has a use for the others.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RejectControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL.search(request.path_info) or any(
            CONTROL.search(key) or any(CONTROL.search(value) for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest(_("The address holds a control character; remove it and try again."))
        return self.get_response(request)
