"""Pages of the household's plan (一户一策): measures and yearly income."""


def plan_panel(household, user) -> dict:
    """Context of the household page's panel."""
    return {}
