"""Pages of the township leader in contact and village trips."""


def leader_panel(household, user) -> dict:
    """Context of the household page's panel."""
    return {}
