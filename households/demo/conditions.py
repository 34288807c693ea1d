"""Living conditions and relocation of the demo households."""


def build_conditions(layout, *, as_of, seed) -> None:
    """Create the demo rows."""
