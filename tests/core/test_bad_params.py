"""Bad query parameters never give a server error, on any page or export.

The walker visits every URL pattern of the project as the command office and as a township
cadre. It discovers each page's query parameters (the GET forms and same-page links of its
clean rendering, the filterset's fields, a list of common ones) and sends hostile values:
NUL bytes, out-of-range numbers, impossible dates, SQL-ish text, a 5,000-character string.
Any 5xx or exception fails, listing every (parameter, value) that broke.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve

BAD_VALUES = (
    "\x00",
    "\x00abc",
    "-1",
    "0",
    "99999999999999999999",
    "2026-13-45",
    "'; drop table x; --",
    "²",  # str.isdigit() says yes, int() says no
    "x" * 5000,
)
COMMON_PARAMS = (
    "q",
    "page",
    "vpage",
    "per_page",
    "week",
    "year",
    "month",
    "date",
    "from",
    "to",
    "township",
    "village",
    "status",
    "state",
    "sort",
    "as_of",
    "unit",
    "unread",
    "next",
    "member",
    "kind",
    "level",
)
# Django's admin is left out (superusers only); the NUL check is a middleware, so it covers it too.
# Every other pattern is walked (a new page needs its path arguments in PATH_KWARGS below).
SKIPPED_NAMESPACES = ("admin",)
ROLES = ("command", "township")
# The command office sees every page: it gets the whole square; the township cadre a cheap check.
LATIN_ROWS = {"command": 99, "township": 1}


def _patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.callback is not serve:  # DEBUG's static files
            yield f"{namespace}{pattern.name or ''}", pattern


ALL_PATTERNS = list(_patterns())
URLS = {
    name: pattern
    for name, pattern in ALL_PATTERNS
    if not name.startswith(tuple(f"{n}:" for n in SKIPPED_NAMESPACES))
}


# ------------------------------------------------------------------ data


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county (every kind of record), built once for the module and rolled back after."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("seed_demo", households=20, seed=3, verbosity=0, stdout=_Null())
            objects = _objects()
            yield objects
            transaction.set_rollback(True)


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def _objects() -> dict:
    """One record of each kind with a page, inside the township cadre's township when it can be."""
    from households.exit_queries import procedures_visible_to
    from households.models import (
        AssistanceMeasure,
        ExitStep,
        ImportBatch,
        IncomeRecord,
        MonitoringCase,
        MonitoringStep,
        PublicPost,
        Violation,
        Visit,
        WorkRecord,
    )
    from households.monitoring_flags import FLAGS
    from households.queries import households_visible_to, villages_visible_to
    from inspections.models import RankingSnapshot, SampledHousehold
    from inspections.queries import findings_visible_to, inspections_visible_to, samples_visible_to
    from povertycase.notifications.models import Notification
    from rectification.models import Evidence, ExportJob
    from rectification.queries import items_visible_to

    users = {role: get_user_model().objects.get(username=role) for role in ROLES}
    township = users["township"]
    in_township = households_visible_to(township)
    household = in_township.filter(members__isnull=False).first()
    from django.utils import timezone

    now = timezone.now()
    violation = Violation.objects.create(
        rule_id="HH-003",
        household=household,
        severity="E",
        message="家庭人口数不符",
        first_seen=now,
        last_seen=now,
    )
    sample_entry = SampledHousehold.objects.filter(sample__in=samples_visible_to(township)).first()
    sample_entry = sample_entry or SampledHousehold.objects.first()
    objects = {
        "users": users,
        "household": household,
        "measure": AssistanceMeasure.objects.filter(household=household).first()
        or AssistanceMeasure.objects.create(household=household, category="A02", item="02", year=2024),
        "income": IncomeRecord.objects.filter(household=household).first()
        or IncomeRecord.objects.create(household=household, year=2024, wage_income=9000, member_count_used=1),
        "visit": _first(Visit.objects.filter(household__in=in_township), Visit),
        "batch": ImportBatch.objects.create(
            original_name="台账.xlsx", file="imports/台账.xlsx", user=users["command"], status="invalid"
        ),
        "violation": violation,
        "case": _first(MonitoringCase.objects.filter(household__in=in_township), MonitoringCase),
        "case_step": MonitoringStep.objects.first(),
        "flag": FLAGS[0].key,
        "procedure": _first(procedures_visible_to(township), procedures_visible_to(users["command"])),
        "exit_step": ExitStep.objects.first(),
        "village": villages_visible_to(township).first(),
        "work": _first(WorkRecord.objects.filter(member__household__in=in_township), WorkRecord),
        "post": _first(PublicPost.objects.filter(member__household__in=in_township), PublicPost),
        "leader": get_user_model().objects.get(username="secretary"),
        "item": _first(items_visible_to(township), items_visible_to(users["command"])),
        "evidence": Evidence.objects.first(),
        "export_job": ExportJob.objects.create(user=users["command"], params={"q": ""}),
        "inspection": _first(inspections_visible_to(township), inspections_visible_to(users["command"])),
        "finding": _first(findings_visible_to(township), findings_visible_to(users["command"])),
        "sample": sample_entry.sample,
        "sample_entry": sample_entry,
        "week": RankingSnapshot.objects.order_by("-week").values_list("week", flat=True).first(),
        "notification": Notification.objects.create(recipient=users["command"], kind="test", title="通知"),
    }
    objects.update(_funds_and_petitions(users["command"]))
    missing = [key for key, value in objects.items() if value is None]
    assert not missing, f"the demo lacks {missing}"
    return objects


def _funds_and_petitions(command) -> dict:
    from funds.models import CompletionReport, Payment, Project
    from petitions.models import Attachment, Campaign, CampaignEntry, Care, InsurancePolicy, Petition

    petition = Petition.objects.first()
    attachment = Attachment.objects.first() or Attachment.objects.create(
        petition=petition, file="petitions/附件.pdf", original_name="附件.pdf", size=10, uploaded_by=command
    )
    return {
        "project": Project.objects.filter(villages__isnull=False).first(),
        "completion": CompletionReport.objects.first(),
        "payment": Payment.objects.first(),
        "petition": petition,
        "petition_attachment": attachment,
        "policy": InsurancePolicy.objects.first(),
        "campaign_entry": CampaignEntry.objects.first(),
        "campaign": Campaign.objects.first(),
        "care": Care.objects.first(),
    }


def _first(preferred, fallback):
    found = preferred.first()
    if found is not None:
        return found
    return fallback.objects.first() if isinstance(fallback, type) else fallback.first()


def _pk(key):
    return lambda o: {"pk": o[key].pk}


# Path arguments per URL name; a URL with arguments that is not listed here fails the walker.
PATH_KWARGS = {
    "password_reset_confirm": lambda o: {"uidb64": "MQ", "token": "set-password"},
    "households:visit_attachment": _pk("visit"),
    "households:import_detail": _pk("batch"),
    "households:import_progress": _pk("batch"),
    "households:import_confirm": _pk("batch"),
    "households:import_rollback": _pk("batch"),
    "households:import_errors_xlsx": _pk("batch"),
    "households:violation_acknowledge": _pk("violation"),
    "households:monitoring_risk_households": lambda o: {"flag": o["flag"]},
    "households:monitoring_detail": _pk("case"),
    "households:monitoring_action": lambda o: {"pk": o["case"].pk, "action": "start_verification"},
    "households:monitoring_step_attachment": _pk("case_step"),
    "households:exit_detail": _pk("procedure"),
    "households:exit_signature": _pk("procedure"),
    "households:exit_resolve": _pk("procedure"),
    "households:exit_attachment": _pk("exit_step"),
    "households:village_indicators": _pk("village"),
    "households:work_record_update": _pk("work"),
    "households:work_record_delete": _pk("work"),
    "households:public_post_update": _pk("post"),
    "households:public_post_delete": _pk("post"),
    "households:leader_detail": _pk("leader"),
    "households:measure_update": lambda o: {"pk": o["household"].pk, "measure_pk": o["measure"].pk},
    "households:measure_delete": lambda o: {"pk": o["household"].pk, "measure_pk": o["measure"].pk},
    "households:measure_stop": lambda o: {"pk": o["household"].pk, "measure_pk": o["measure"].pk},
    "households:income_update": lambda o: {"pk": o["household"].pk, "income_pk": o["income"].pk},
    "rectification:item_detail": _pk("item"),
    "rectification:item_update": _pk("item"),
    "rectification:item_action": lambda o: {"pk": o["item"].pk, "action": "accept"},
    "rectification:evidence_download": _pk("evidence"),
    "rectification:export_job": _pk("export_job"),
    "rectification:export_job_progress": _pk("export_job"),
    "rectification:export_job_download": _pk("export_job"),
    "inspections:inspection_detail": _pk("inspection"),
    "inspections:finding_detail": _pk("finding"),
    "inspections:sample_detail": _pk("sample"),
    "inspections:sample_export": _pk("sample"),
    "inspections:sample_entry": lambda o: {"pk": o["sample"].pk, "entry_pk": o["sample_entry"].pk},
    "inspections:finding_from_entry": lambda o: {"pk": o["sample"].pk, "entry_pk": o["sample_entry"].pk},
    "inspections:ranking_week": lambda o: {"week": o["week"]},
    "inspections:ranking_export": lambda o: {"week": o["week"]},
    "notifications:mark_read": _pk("notification"),
    "funds:project_detail": _pk("project"),
    "funds:project_action": lambda o: {"pk": o["project"].pk, "action": "payment"},
    "funds:board": lambda o: {"village_pk": o["project"].villages.first().pk},
    "funds:board_export": lambda o: {"village_pk": o["project"].villages.first().pk},
    "funds:evidence_download": _pk("completion"),
    "funds:voucher_download": _pk("payment"),
    "petitions:detail": _pk("petition"),
    "petitions:action": lambda o: {"pk": o["petition"].pk, "action": "reply"},
    "petitions:attachment": _pk("petition_attachment"),
    "petitions:policy_detail": _pk("policy"),
    "petitions:policy_enroll_eligible": _pk("policy"),
    "petitions:claim_create": _pk("policy"),
    "petitions:care_edit": lambda o: {"member_pk": o["care"].member_id},
    "petitions:campaign_detail": _pk("campaign"),
    "petitions:campaign_assign": _pk("campaign"),
    "petitions:campaign_export": _pk("campaign"),
    "petitions:campaign_entry_revisit": lambda o: {
        "pk": o["campaign_entry"].campaign_id,
        "entry_pk": o["campaign_entry"].pk,
    },
}
HOUSEHOLD_PAGES = (
    "household_detail",
    "household_update",
    "visit_create",
    "household_helper",
    "monitoring_clue_create",
    "exit_start",
    "household_conditions",
    "work_record_create",
    "public_post_create",
    "household_leader",
    "measure_create",
    "income_create",
)
PATH_KWARGS.update({f"households:{name}": _pk("household") for name in HOUSEHOLD_PAGES})


def test_every_url_pattern_has_a_name_the_walker_can_reverse():
    assert [str(pattern.pattern) for name, pattern in URLS.items() if not name or name.endswith(":")] == []


def test_every_url_with_arguments_has_a_record():
    with_arguments = {name for name, pattern in URLS.items() if pattern.pattern.converters}
    assert with_arguments - set(PATH_KWARGS) == set()
    assert set(PATH_KWARGS) - set(URLS) == set()


# ------------------------------------------------------------------ parameter discovery


class _QueryNames(HTMLParser):
    """Names of the fields of GET forms, and query keys of links to the same path."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.names = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            parts = urlsplit(attrs["href"])
            if parts.path in ("", self.path):
                self.names.update(key for key, _ in parse_qsl(parts.query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def _discover(response, path) -> set[str]:
    names = set(COMMON_PARAMS)
    filterset = (response.context or {}).get("filter") if response.context else None
    if filterset is not None:
        names.update(filterset.form.fields)
    content_type = response.get("Content-Type", "")
    if response.status_code == 200 and content_type.startswith("text/html"):
        parser = _QueryNames(path)
        parser.feed(response.content.decode())
        names.update(parser.names)
    return {name for name in names if not re.fullmatch(r"csrfmiddlewaretoken|.*-(TOTAL|INITIAL)_FORMS", name)}


# ------------------------------------------------------------------ the walk

# The command office first: it sees every page, and the township cadre reuses what it discovered.
CASES = [pytest.param(role, name, id=f"{role}-{name}") for role in ROLES for name in sorted(URLS)]
DISCOVERED: dict[str, list[str]] = {}


@pytest.mark.parametrize(("role", "name"), CASES)
def test_bad_query_parameters_never_5xx(demo, db, role, name):
    client = Client()
    client.force_login(demo["users"][role])
    path = reverse(name, kwargs=PATH_KWARGS[name](demo) if name in PATH_KWARGS else None)
    failures = []
    if name not in DISCOVERED:
        clean = _get(client, path, {}, failures)
        if clean is not None and clean.status_code == 405:  # POST only: refused before any parsing
            return
        DISCOVERED[name] = sorted(_discover(clean, path)) if clean is not None else list(COMMON_PARAMS)
    params = DISCOVERED[name]
    for params_at_once in _requests(params, rows=LATIN_ROWS[role]):
        _get(client, path, params_at_once, failures)
    if URLS[name].pattern.converters.get("week") is not None:
        for value in BAD_VALUES:
            _get(client, reverse(name, kwargs={"week": value}), {}, failures)
    assert not failures, "\n".join(failures)


def _requests(params, *, rows):
    """A NUL byte on every parameter at once, then rows of a Latin square over the other values.

    Row k gives parameter i value (i + k) mod n, so n rows send every value to every parameter
    in n requests. The NUL values get requests of their own: they are refused up front.
    """
    yield dict.fromkeys(params, "\x00abc")
    others = [value for value in BAD_VALUES if "\x00" not in value]
    for row in range(min(rows, len(others))):
        yield {param: others[(i + row) % len(others)] for i, param in enumerate(params)}


def _get(client, path, params, failures):
    shown = {k: (v[:12] + "…" if len(v) > 12 else v) for k, v in params.items()}
    try:
        response = client.get(path, params)
    except Exception as error:  # noqa: BLE001 - every exception is a failure to report
        failures.append(f"{path} {shown!r}: {type(error).__name__}: {str(error)[:200]}")
        return None
    if response.status_code >= 500:
        failures.append(f"{path} {shown!r}: {response.status_code}")
    return response
