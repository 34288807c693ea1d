"""Revisit campaigns (大回访): the command office gathers past petitions, assigns each for a
revisit and follows the results."""

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from povertycase.accounts.models import Role, role_of
from povertycase.errors import DomainError

from . import rules, services
from .models import Campaign, CampaignEntry, Petition, Revisit, Satisfaction, State

PAST_STATES = (State.REPLIED, State.REVISITED, State.CLOSED)


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """The command office and inspectors: all; others: campaigns with a petition assigned to them."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    if user.is_superuser or role_of(user) in (Role.COMMAND, Role.INSPECTOR):
        return Campaign.objects.all()
    return Campaign.objects.filter(entries__assignee=user).distinct()


def entries_visible_to(user, campaign: Campaign) -> QuerySet[CampaignEntry]:
    qs = campaign.entries.select_related(
        "petition__category__parent", "petition__township", "assignee", "revisit__by"
    ).order_by("petition__date", "pk")
    if user.is_superuser or role_of(user) in (Role.COMMAND, Role.INSPECTOR):
        return qs
    return qs.filter(assignee=user)


def selection(*, period_from, period_to, category=None, township=None) -> QuerySet[Petition]:
    qs = Petition.objects.filter(state__in=PAST_STATES, date__gte=period_from, date__lte=period_to)
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__parent=category))
    if township is not None:
        qs = qs.filter(township=township)
    return qs


@transaction.atomic
def campaign_create(*, user, name: str, period_from, period_to, category=None, township=None) -> Campaign:
    if not rules.is_command(user):
        raise DomainError(_("Only the county command office may start a revisit campaign."))
    if not (name or "").strip():
        raise DomainError(_("Name the campaign."), field="name")
    if period_from > period_to:
        raise DomainError(_("The period must end after it starts."), field="period_to")
    petitions = list(
        selection(
            period_from=period_from, period_to=period_to, category=category, township=township
        ).order_by("date")
    )
    if not petitions:
        raise DomainError(_("No replied petition matches this period, category and township."))
    campaign = Campaign.objects.create(
        name=name.strip(),
        period_from=period_from,
        period_to=period_to,
        category=category,
        township=township,
        created_by=user,
    )
    CampaignEntry.objects.bulk_create(
        CampaignEntry(campaign=campaign, petition=p, assignee_id=p.handling_person_id) for p in petitions
    )
    return campaign


@transaction.atomic
def campaign_assign(*, user, campaign: Campaign, entry_ids, assignee) -> int:
    if not rules.is_command(user):
        raise DomainError(_("Only the county command office may assign campaign revisits."))
    if assignee is None:
        raise DomainError(_("Choose who revisits."), field="assignee")
    entries = list(campaign.entries.select_for_update().filter(pk__in=entry_ids, revisit__isnull=True))
    if not entries:
        raise DomainError(_("Select petitions not yet revisited."))
    for entry in entries:
        entry.assignee = assignee
        entry._history_user = user
        entry.save(update_fields=["assignee"])
    return len(entries)


def can_revisit_entry(user, entry: CampaignEntry) -> bool:
    return entry.revisit_id is None and (rules.is_command(user) or entry.assignee_id == user.pk)


@transaction.atomic
def campaign_revisit(*, user, entry: CampaignEntry, date, result: str, satisfaction: str) -> Revisit:
    entry = CampaignEntry.objects.select_for_update().select_related("campaign", "petition").get(pk=entry.pk)
    if not can_revisit_entry(user, entry):
        raise DomainError(_("This campaign petition is not yours to revisit, or was revisited already."))
    revisit = services.petition_revisit(
        user=user,
        petition=entry.petition,
        date=date,
        result=result,
        satisfaction=satisfaction,
        campaign=entry.campaign,
    )
    entry.revisit = revisit
    entry._history_user = user
    entry.save(update_fields=["revisit"])
    return revisit


def progress(campaign: Campaign) -> dict:
    counts = campaign.entries.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(revisit__isnull=False)),
        **{s.value: Count("pk", filter=Q(revisit__satisfaction=s.value)) for s in Satisfaction},
    )
    counts["percent"] = round(100 * counts["done"] / counts["total"]) if counts["total"] else 0
    return counts
