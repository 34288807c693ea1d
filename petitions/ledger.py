"""A petition that uncovers a problem opens a ledger item (DOMAIN.md §10.2); the two link."""

from django.db import transaction
from django.utils.translation import gettext as _

from povertycase.errors import DomainError
from rectification import services as ledger
from rectification.models import Item, Kind, Level

from . import rules
from .models import Petition, Step

PETITION_SOURCE = "07"  # rect_source 信访


def item_data(petition: Petition) -> dict:
    """The ledger item's fields as the petition fills them."""
    households = list(petition.households.select_related("village__township")[:2])
    data = {
        "number": f"ZG-{petition.number}",
        "source": PETITION_SOURCE,
        "source_reference": _("Petition %s") % petition.number,
        "category": petition.category,
        "description": petition.content,
        "kind": Kind.DEADLINE,
        "deadline": petition.deadline,
        "responsible_township": petition.handling_township
        or (None if petition.handling_department else petition.township),
        "responsible_department": petition.handling_department,
        "responsible_person": petition.handling_person,
        "level": Level.COUNTY,
    }
    if len(households) == 1:
        data.update(level=Level.HOUSEHOLD, target_household=households[0])
    elif petition.township_id:
        data.update(level=Level.TOWNSHIP, target_township=petition.township)
    return data


@transaction.atomic
def petition_open_item(*, user, petition: Petition) -> Item:
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not rules.is_command(user):
        raise DomainError(_("Only the county command office may open a ledger item from a petition."))
    if petition.rectification_item_id:
        raise DomainError(_("This petition already has a ledger item."))
    data = item_data(petition)
    if not (data["responsible_township"] or data["responsible_department"]):
        raise DomainError(
            _("Transfer the petition to a township or department before opening a ledger item.")
        )
    item = ledger.item_create(user=user, data=data)
    petition.rectification_item = item
    petition._history_user = user
    petition.save(update_fields=["rectification_item"])
    Step.objects.create(
        petition=petition,
        actor=user,
        action="to_ledger",
        from_state=petition.state,
        to_state=petition.state,
        note=item.number,
    )
    return item
