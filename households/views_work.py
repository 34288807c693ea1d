"""Pages of members' work records and public-welfare posts."""


def work_panel(household, user) -> dict:
    """Context of the household page's panel."""
    return {}
