"""Safeguards after exit (DOMAIN.md §10.3): 防贫保险 policies, enrolments and claims; 五保 care."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from households.codefields import ACTIVE_STATUS
from households.models import Household, Member, MonitoringCase
from households.models.monitoring import MONITORED_STATES
from households.queries import households_visible_to
from povertycase.accounts.models import REGISTER_EDITORS, role_of
from povertycase.core import codes
from povertycase.errors import DomainError
from rectification.evidence import check_evidence_file

from . import rules
from .checks import FIVE_GUARANTEE, UNSTABLE_CATEGORIES
from .models import CENTRALISED, Care, CareForm, Claim, Enrollment, InsurancePolicy


def _command_only(user):
    if not rules.is_command(user):
        raise DomainError(_("Only the county command office may manage 防贫保险."))


@transaction.atomic
def policy_create(*, user, year: int, insurer: str, premium, payer: str, note: str = "") -> InsurancePolicy:
    _command_only(user)
    if not (insurer or "").strip():
        raise DomainError(_("Name the insurer."), field="insurer")
    if premium is None or Decimal(premium) < 0:
        raise DomainError(_("The premium cannot be negative."), field="premium")
    if not codes.get("insurance_payer", payer):
        raise DomainError(_("Choose who pays the premium."), field="payer")
    if InsurancePolicy.objects.filter(year=year, insurer=insurer.strip()).exists():
        raise DomainError(_("This insurer already has a policy for that year."), field="insurer")
    policy = InsurancePolicy(year=year, insurer=insurer.strip(), premium=premium, payer=payer, note=note)
    policy._history_user = user
    policy.save()
    return policy


def eligible_households():
    """Monitored 脱贫不稳定户 and 边缘易致贫户 (PT-002's households)."""
    monitored = MonitoringCase.objects.filter(
        household=OuterRef("pk"), state__in=MONITORED_STATES, category__in=UNSTABLE_CATEGORIES
    )
    return Household.objects.filter(Exists(monitored))


@transaction.atomic
def policy_enroll(*, user, policy: InsurancePolicy, households=None) -> int:
    """Enrol the given households (added by the county), or every eligible one when None."""
    _command_only(user)
    added_by_county = households is not None
    chosen = list(households) if added_by_county else list(eligible_households())
    if added_by_county and not chosen:
        raise DomainError(_("Choose the households to enrol."), field="households")
    have = set(policy.enrollments.values_list("household_id", flat=True))
    new = [
        Enrollment(policy=policy, household=h, added_by_county=added_by_county)
        for h in chosen
        if h.pk not in have
    ]
    Enrollment.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def claim_create(*, user, enrollment: Enrollment, cause: str, amount, paid_on=None, note: str = "") -> Claim:
    _command_only(user)
    if not codes.get("insurance_claim_cause", cause):
        raise DomainError(_("Choose the cause of the claim."), field="cause")
    if amount is None or Decimal(amount) <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    if paid_on and paid_on.year < enrollment.policy.year:
        raise DomainError(_("The claim cannot be paid before the policy year."), field="paid_on")
    claim = Claim(enrollment=enrollment, cause=cause, amount=amount, paid_on=paid_on, note=note)
    claim._history_user = user
    claim.save()
    return claim


def five_guarantee_members(user):
    """Active members of the 特困供养 households the user may see, with their care record."""
    return (
        Member.objects.filter(
            household__in=households_visible_to(user).filter(attribute=FIVE_GUARANTEE).values("pk"),
            status=ACTIVE_STATUS,
        )
        .select_related("household__village__township", "five_guarantee_care")
        .order_by("household__number", "seq")
    )


def can_edit_care(user) -> bool:
    return rules.is_command(user) or role_of(user) in REGISTER_EDITORS


@transaction.atomic
def care_save(*, user, member: Member, data: dict, agreement_file=None) -> Care:
    if not can_edit_care(user):
        raise DomainError(_("Only the command office, a township or a village may record 五保 care."))
    if not five_guarantee_members(user).filter(pk=member.pk).exists():
        raise DomainError(_("Only a 特困供养 person of your area has a 五保 care record."))
    form = data.get("form")
    care = Care.objects.filter(member=member).first() or Care(member=member)
    for field in ("dependency", "form", "institution", "carer", "agreement_date"):
        setattr(care, field, data.get(field) or ("" if field != "agreement_date" else None))
    if form in CENTRALISED and not care.institution.strip():
        raise DomainError(_("Name the care home or turnover house."), field="institution")
    if form == CareForm.SCATTERED and care.carer and not care.agreement_date:
        raise DomainError(_("Enter the date the care agreement was signed."), field="agreement_date")
    if form in CENTRALISED:
        care.carer, care.agreement_date = "", None
    else:
        care.institution = ""
    if agreement_file:
        check_evidence_file(agreement_file)
        care.agreement_file = agreement_file
    care.full_clean(exclude=["member", "agreement_file"])
    care._history_user = user
    care.save()
    return care
