"""Pages of living conditions (生产生活条件) and relocation."""


def conditions_panel(household, user) -> dict:
    """Context of the household page's panel."""
    return {}
