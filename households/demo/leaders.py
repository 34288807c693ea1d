"""Township leaders' linked households and village trips."""


def build_leaders(accounts, layout, *, as_of, seed) -> None:
    """Create the demo rows."""
