"""Serving an uploaded attachment (scanned signature, photo, evidence) to a user in scope."""

import mimetypes

from django.http import FileResponse, Http404


def attachment_response(field_file) -> FileResponse:
    """The stored file as a download; 404 when none was attached or the file is gone."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    return FileResponse(handle, content_type=content_type, filename=field_file.name.rsplit("/", 1)[-1])
