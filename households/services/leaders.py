"""Township leaders (乡镇党委书记、乡镇长, DOMAIN.md §1.3 遍访): the households each keeps in touch
with and their village trips (下村). Who may do what, the checks, and the figures VS-005 reads."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from households import rules
from households.checks import service as checks_service
from households.checks.registry import get_rule
from households.checks.settings import effective_settings
from households.checks.visits import leader_accounts, leader_figures, week_start
from households.models import Household, Township, Village, VillageTrip
from households.queries import households_visible_to, townships_visible_to
from povertycase.accounts.models import LeaderPost, Role, role_of
from povertycase.errors import DomainError

User = get_user_model()

TRIP_DAYS_BACK = 30  # a trip is recorded within a month of the day it was made
SUMMARY_WEEKS = 8  # this week and the seven before it
PURPOSE_MAX = VillageTrip._meta.get_field("purpose").max_length


class TripInvalid(DomainError):
    """Problems keyed by form field (None: the trip as a whole); nothing was saved."""

    def __init__(self):
        super().__init__(_("The village trip was not saved: please correct the marked fields."))
        self.errors = defaultdict(list)

    def add(self, field_name, message) -> None:
        self.errors[field_name].append(message)


# ------------------------------------------------------------------ who is who


def is_leader(user) -> bool:
    profile = getattr(user, "profile", None)
    return bool(user.is_authenticated and user.is_active and profile and profile.leader_post)


def township_leaders(township_id) -> QuerySet:
    """The township's active secretary and mayor, secretary first."""
    return leader_accounts().filter(profile__township_id=township_id).order_by("-profile__leader_post", "pk")


def thresholds() -> dict:
    """VS-005's effective parameters, so the page marks what the rule reports."""
    item = get_rule("VS-005")
    return effective_settings([item])[item.id].params


def can_view_leaders(user) -> bool:
    """The command office (every township) and township accounts (their own township)."""
    return user.is_authenticated and (user.is_superuser or role_of(user) in (Role.COMMAND, Role.TOWNSHIP))


def leaders_visible_to(user) -> QuerySet:
    qs = leader_accounts()
    if user.is_authenticated and (user.is_superuser or role_of(user) == Role.COMMAND):
        return qs
    if role_of(user) == Role.TOWNSHIP:
        return qs.filter(profile__township_id=user.profile.township_id)
    return qs.none()


def leader_rows(user, *, today: datetime.date, township: Township | None = None) -> QuerySet:
    """Leaders the user may see with `linked`, `last_week` and `this_week` (one query)."""
    leaders = leaders_visible_to(user)
    if township is not None:
        leaders = leaders.filter(profile__township=township)
    return leader_figures(leaders, today).order_by("profile__township__code", "-profile__leader_post", "pk")


def townships_missing_leaders(user, *, township: Township | None = None) -> list[tuple[Township, list[str]]]:
    """(township, posts without an active account) for the townships the user may see: VS-005
    cannot judge a leader nobody has set up, so the page names the gap instead (two queries)."""
    townships = townships_visible_to(user).order_by("code")
    if township is not None:
        townships = townships.filter(pk=township.pk)
    held = set(leader_accounts().values_list("profile__township_id", "profile__leader_post"))
    missing = []
    for item in townships:
        posts = [str(label) for post, label in LeaderPost.choices if (item.pk, post) not in held]
        if posts:
            missing.append((item, posts))
    return missing


def mark_shortfalls(leaders, limits: dict) -> list:
    """Set `few_households` and `few_trips` on each annotated leader, as VS-005 judges them."""
    rows = list(leaders)
    for leader in rows:
        leader.few_households = leader.linked < int(limits["min_households"])
        leader.few_trips = leader.last_week < int(limits["min_trips"])
    return rows


# ------------------------------------------------------------------ linking households


def can_link_leader(user, household: Household, *, in_scope: bool = False) -> bool:
    """Register editors at township or county level, for a household in their scope."""
    if not rules.can_edit_register(user):
        return False
    if not (user.is_superuser or role_of(user) in (Role.COMMAND, Role.TOWNSHIP)):
        return False
    return in_scope or households_visible_to(user).filter(pk=household.pk).exists()


@transaction.atomic
def household_link_leader(*, household: Household, leader, user, reason: str = "") -> Household:
    """Make `leader` (None: nobody) the household's township leader in contact; kept in the history."""
    if not can_link_leader(user, household):
        raise DomainError(_("You may not choose the township leader of this household."))
    township_id = household.village.township_id
    if leader is not None and not township_leaders(township_id).filter(pk=leader.pk).exists():
        raise DomainError(
            _("Only the Party secretary or the head of the household's own township can be chosen."),
            field="leader",
        )
    if (leader.pk if leader else None) == household.contact_leader_id:
        raise DomainError(_("This leader is already the household's contact."), field="leader")
    before = checks_service.error_keys(household)
    household.contact_leader = leader
    household._history_user = user
    household._change_reason = (reason or "").strip()[:100] or _("township leader in contact changed")
    household.save(update_fields=["contact_leader", "updated_at"])
    checks_service.refuse_new_errors(household, before)
    return household


# ------------------------------------------------------------------ village trips


def recordable_leaders(user) -> QuerySet:
    """Leaders the user may record trips for: themselves, or (township cadres) their township's."""
    if not user.is_authenticated or role_of(user) != Role.TOWNSHIP:
        return User.objects.none()
    return township_leaders(user.profile.township_id)


def can_record_trips(user) -> bool:
    return recordable_leaders(user).exists()


def trip_problems(*, leader, village, date, purpose, today: datetime.date) -> TripInvalid:
    problems = TripInvalid()
    township_id = leader.profile.township_id
    if village is not None and village.township_id != township_id:
        problems.add("village", _("Choose a village of the leader's own township."))
    if date is not None and date > today:
        problems.add("date", _("The date of a village trip cannot be in the future."))
    elif date is not None and date < today - datetime.timedelta(days=TRIP_DAYS_BACK):
        problems.add(
            "date",
            _("A village trip is recorded within %(days)s days of the trip.") % {"days": TRIP_DAYS_BACK},
        )
    if not purpose:
        problems.add("purpose", _("Please write the purpose of the trip and the work done."))
    elif len(purpose) > PURPOSE_MAX:
        problems.add("purpose", _("At most %(n)s characters.") % {"n": PURPOSE_MAX})
    return problems


@transaction.atomic
def village_trip_record(
    *, leader, village: Village, date: datetime.date, purpose: str, user, today: datetime.date | None = None
) -> VillageTrip:
    """Record a trip of `leader` to `village`; `user` (the leader or a cadre of the township) typed it."""
    if not recordable_leaders(user).filter(pk=leader.pk).exists():
        raise DomainError(_("You may not record village trips for this leader."), field="leader")
    purpose = (purpose or "").strip()
    problems = trip_problems(
        leader=leader, village=village, date=date, purpose=purpose, today=today or timezone.localdate()
    )
    if problems.errors:
        raise problems
    trip = VillageTrip(leader=leader, village=village, date=date, purpose=purpose, created_by=user)
    trip._history_user = user
    trip._change_reason = _("village trip recorded")
    trip.save()
    return trip


@dataclass
class Week:
    monday: datetime.date
    sunday: datetime.date
    trips: int
    current: bool
    short: bool  # a full week under the VS-005 minimum


def weekly_summary(leader, *, today: datetime.date, min_trips: int) -> list[Week]:
    """Trips per week of the last SUMMARY_WEEKS weeks, this (unfinished) week first (one query)."""
    this_monday = week_start(today)
    first = this_monday - datetime.timedelta(weeks=SUMMARY_WEEKS - 1)
    counts = dict(
        VillageTrip.objects.filter(leader=leader, date__range=(first, today))
        .order_by()
        .values("date")
        .annotate(n=Count("pk"))
        .values_list("date", "n")
    )
    weeks = []
    for back in range(SUMMARY_WEEKS):
        monday = this_monday - datetime.timedelta(weeks=back)
        sunday = monday + datetime.timedelta(days=6)
        trips = sum(n for day, n in counts.items() if monday <= day <= sunday)
        weeks.append(Week(monday, sunday, trips, current=back == 0, short=back > 0 and trips < min_trips))
    return weeks


def trips_of(leader) -> QuerySet:
    return VillageTrip.objects.filter(leader=leader).select_related("village", "created_by")


def post_label(leader) -> str:
    return str(LeaderPost(leader.profile.leader_post).label) if leader.profile.leader_post else ""
