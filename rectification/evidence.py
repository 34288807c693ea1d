"""Checks on uploaded evidence files: allowed types (by extension and content) and size."""

from pathlib import PurePath

from django.utils.translation import gettext as _

from povertycase.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls
ZIP = b"PK\x03\x04"  # .docx / .xlsx
SIGNATURES = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "doc": (OLE,),
    "xls": (OLE,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
}
ALLOWED = ", ".join(SIGNATURES)


def check_evidence_file(upload) -> None:
    """Raise DomainError (field 'files') unless `upload` is an allowed type of at most 10 MB."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in SIGNATURES:
        raise DomainError(
            _("%(name)s: files of this type are not accepted (allowed: %(allowed)s).")
            % {"name": name, "allowed": ALLOWED},
            field="files",
        )
    if upload.size > MAX_BYTES:
        raise DomainError(
            _("%(name)s is larger than 10 MB.") % {"name": name},
            field="files",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise DomainError(
            _("%(name)s is not a real %(type)s file.") % {"name": name, "type": extension.upper()},
            field="files",
        )
