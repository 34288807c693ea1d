"""Masking of the complainant's name and phone for those who may not see them."""

from django.utils.translation import gettext as _

from . import rules


def mask_name(name: str) -> str:
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) > 7 else phone[:3] + "****"


def complainant(user, petition) -> dict:
    """The name and phone as this user may see them."""
    if petition.anonymous:
        return {"name": _("Anonymous"), "phone": "", "masked": False}
    if rules.sees_complainant(user, petition):
        return {"name": petition.complainant_name, "phone": petition.complainant_phone, "masked": False}
    return {
        "name": mask_name(petition.complainant_name),
        "phone": mask_phone(petition.complainant_phone),
        "masked": True,
    }
