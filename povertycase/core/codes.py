"""Read access to the code lists, cached per process for a minute."""

import time
import unicodedata
from dataclasses import dataclass, field

_TTL_SECONDS = 60
_cache: dict = {"loaded_at": 0.0, "lists": {}}


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def in_register(self) -> bool:
        return self.extra.get("register", True)

    @property
    def register_label(self) -> str:
        return self.extra.get("register_label", self.label)


def normalize(text) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip()


def clear_cache() -> None:
    _cache["loaded_at"] = 0.0
    _cache["lists"] = {}


def _lists() -> dict[str, list[Code]]:
    if time.monotonic() - _cache["loaded_at"] > _TTL_SECONDS:
        from .models import CodeList

        lists: dict[str, list[Code]] = {}
        for row in CodeList.objects.order_by("list", "sort", "code"):
            lists.setdefault(row.list, []).append(Code(row.code, row.label_zh, row.extra or {}))
        _cache["lists"] = lists
        _cache["loaded_at"] = time.monotonic()
    return _cache["lists"]


def entries(list_name: str, *, register_only: bool = False) -> list[Code]:
    items = _lists().get(list_name, [])
    return [c for c in items if c.in_register] if register_only else list(items)


def get(list_name: str, code: str) -> Code | None:
    return next((c for c in entries(list_name) if c.code == code), None)


def choices(list_name: str, *, register_only: bool = False) -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in entries(list_name, register_only=register_only)]


def label(list_name: str, code: str | None) -> str:
    entry = get(list_name, code) if code else None
    return entry.label if entry else (code or "")


def register_label(list_name: str, code: str | None) -> str:
    entry = get(list_name, code) if code else None
    return entry.register_label if entry else (code or "")


def lookup(list_name: str, text, *, register_only: bool = False) -> str | None:
    """The code whose label, register label or alias equals `text` after normalisation."""
    wanted = normalize(text)
    if not wanted:
        return None
    for entry in entries(list_name, register_only=register_only):
        names = {entry.label, entry.register_label, *entry.extra.get("aliases", [])}
        if wanted in {normalize(n) for n in names}:
            return entry.code
    return None


def labels(list_name: str, *, register_only: bool = False) -> list[str]:
    return [c.register_label for c in entries(list_name, register_only=register_only)]
