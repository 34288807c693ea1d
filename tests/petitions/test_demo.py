"""seed_demo also builds petitions in every state, a half-done campaign, insurance and care."""

import datetime

import pytest
from django.core.management import call_command

from petitions.models import Campaign, Care, Claim, Enrollment, Petition, State

pytestmark = pytest.mark.django_db
AS_OF = datetime.date.today() - datetime.timedelta(days=1)


def test_seed_demo_builds_petitions_and_safeguards(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--households", "80", "--seed", "3", "--as-of", AS_OF.isoformat())
    states = set(Petition.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert Petition.objects.overdue(AS_OF).exists() and Petition.objects.filter(escalated=True).exists()
    assert Petition.objects.exclude(rectification_item=None).exists()
    campaign = Campaign.objects.get()
    total, done = campaign.entries.count(), campaign.entries.exclude(revisit=None).count()
    assert total > 1 and done == total // 2
    assert Enrollment.objects.exists() and Claim.objects.exists() and Care.objects.exists()
    call_command("seed_demo", "--households", "80", "--seed", "3", "--as-of", AS_OF.isoformat(), "--reset")
    assert Petition.objects.count() == 41
