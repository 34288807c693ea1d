class DomainError(Exception):
    """A rule of the domain refused an action; `message` is shown to the user as is."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
