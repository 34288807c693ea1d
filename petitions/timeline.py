"""The petition's trail, newest last: workflow steps with their notes."""

from django.utils.translation import gettext_lazy as _

from .models import State

ACTIONS = {
    "register": (_("Registered"), "secondary"),
    "accept": (_("Accepted for handling"), "primary"),
    "transfer": (_("Transferred"), "info"),
    "return": (_("Returned"), "warning"),
    "reply": (_("Replied"), "success"),
    "revisit": (_("Revisited"), "success"),
    "reopen": (_("Reopened"), "danger"),
    "close": (_("Concluded"), "dark"),
    "to_ledger": (_("Sent to the ledger"), "danger"),
    "import": (_("Imported"), "secondary"),
}


def _who(user) -> str:
    return (f"{user.last_name}{user.first_name}" or user.username) if user else ""


def petition_timeline(petition) -> list[dict]:
    labels = dict(State.choices)
    entries = []
    for step in petition.steps.select_related("actor"):
        title, style = ACTIONS.get(step.action, (step.action, "secondary"))
        entries.append(
            {
                "title": title,
                "style": style,
                "state": labels.get(step.to_state, ""),
                "text": step.note,
                "when": step.at,
                "who": _who(step.actor),
            }
        )
    return entries
