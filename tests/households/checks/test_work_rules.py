import pytest

from households.checks.registry import get_rule


@pytest.mark.parametrize("rule_id", ["MB-024", "MB-025", "MB-026", "MB-029", "MB-031"])
def test_rules_without_register_data_are_not_applicable(rule_id):
    assert not get_rule(rule_id).applicable
