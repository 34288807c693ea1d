"""Query parameters a view reads without a filter form: parsed through a form, never int() by hand."""

from django import forms
from django.contrib import messages
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 2014, 2100  # the register starts with the 2014 identification


class _YearForm(forms.Form):
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)


def year_param(request, *, default: int, name: str = "year") -> int:
    """The year asked for, or `default` (with a message when the one asked for is not a year)."""
    raw = request.GET.get(name, "")
    if not raw.strip():
        return default
    form = _YearForm({"year": raw})
    if form.is_valid():
        return form.cleaned_data["year"]
    messages.warning(
        request,
        _("“%(value)s” is not a year between %(first)s and %(last)s; showing %(year)s.")
        % {"value": raw[:20], "first": FIRST_YEAR, "last": LAST_YEAR, "year": default},
    )
    return default


def id_or_none(value) -> int | None:
    """A record id given as text, or None for anything a database column could not hold."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**63:
        return None
    return int(text)


def local_path(request, value, *, default: str) -> str:
    """A `next` address: a path on this site, else `default` (no open redirect, no bad reverse)."""
    text = str(value or "")
    if text.startswith("/") and url_has_allowed_host_and_scheme(text, allowed_hosts={request.get_host()}):
        return text
    return default
