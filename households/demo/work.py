"""Work records, public-welfare posts and per-member measures of the demo."""


def build_work(*, as_of, seed) -> None:
    """Create the demo rows."""
