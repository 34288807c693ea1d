"""The guard every .xlsx import passes before a parser opens the file (issue 13).

An 885 KB workbook holding one 400 MB shared string added 1.1 GB to a worker: openpyxl and
calamine unpack whatever the archive says. `check_xlsx_upload` reads only the zip directory
and then streams each entry in 1 MB chunks, so it needs a few MB whatever the file holds, and
refuses (with a message for the user) a file that is no zip, is damaged, unpacks to more than
IMPORT_MAX_UNPACKED_MB, is compressed tighter than IMPORT_MAX_COMPRESSION_RATIO, has a sheet
of more than IMPORT_MAX_ROWS rows (declared in its dimension or counted), or a text run longer
than IMPORT_MAX_CELL_CHARS.
"""

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from povertycase.errors import DomainError
from povertycase.excel import ZIP_MAGIC, WorkbookError

CHUNK = 1024 * 1024
RATIO_FLOOR = 1024 * 1024  # small parts (styles, an empty sheet) compress tightly and harmlessly
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="[A-Z]*\$?\d*:?\$?[A-Z]*\$?(\d+)"')


class UploadRefused(DomainError, WorkbookError):
    """The upload is refused before parsing; a WorkbookError too, so readers that catch
    that refuse it as unreadable even where nobody asked for the precise reason."""


def check_xlsx_upload(file) -> None:
    """Raise UploadRefused unless `file` (bytes, a path or a binary file object) is a sane .xlsx."""
    handle, close = _open(file)
    try:
        if handle.read(4) != ZIP_MAGIC:
            raise UploadRefused(_not_xlsx())
        handle.seek(0)
        try:
            with zipfile.ZipFile(handle) as archive:
                _check_archive(archive)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            struct.error,
            EOFError,
            OSError,
            ValueError,
            NotImplementedError,
        ) as exc:
            if isinstance(exc, UploadRefused):
                raise
            raise UploadRefused(_damaged()) from exc
    finally:
        if close:
            handle.close()
        else:
            handle.seek(0)


def _open(file):
    if isinstance(file, bytes | bytearray | memoryview):
        return io.BytesIO(file), True
    if isinstance(file, str | Path):
        return open(file, "rb"), True  # noqa: SIM115 - closed by the caller above
    file.seek(0)
    return file, False


def _limits() -> dict:
    return {
        "unpacked": settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024,
        "ratio": settings.IMPORT_MAX_COMPRESSION_RATIO,
        "rows": settings.IMPORT_MAX_ROWS,
        "chars": settings.IMPORT_MAX_CELL_CHARS,
    }


def _check_archive(archive: zipfile.ZipFile) -> None:
    limits = _limits()
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise UploadRefused(_not_xlsx())
    # What the directory declares: refused before a single byte is unpacked.
    if sum(i.file_size for i in infos) > limits["unpacked"]:
        raise UploadRefused(_too_big(limits))
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadRefused(_damaged())
        _check_ratio(info, info.file_size, limits)
    # What the entries really hold: the declared sizes may lie.
    total = 0
    for info in infos:
        total += _scan_entry(archive, info, limits, unpacked_before=total)


def _check_ratio(info: zipfile.ZipInfo, size: int, limits: dict) -> None:
    if size > RATIO_FLOOR and size > limits["ratio"] * max(info.compress_size, 1):
        raise UploadRefused(
            _(
                "The file is compressed %(ratio)d to 1 (part %(part)s), far more than a workbook; "
                "it is refused as a possible zip bomb."
            )  # fmt: skip
            % {"ratio": size // max(info.compress_size, 1), "part": info.filename}
        )


def _scan_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: dict, *, unpacked_before: int
) -> int:
    name = info.filename
    is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
    is_text = is_sheet or name == "xl/sharedStrings.xml"
    rows = _RowCounter(limits["rows"]) if is_sheet else None
    runs = _RunMeter(limits["chars"]) if is_text else None
    size, crc = 0, 0
    for chunk in _entry_chunks(archive, info):
        size += len(chunk)
        crc = zlib.crc32(chunk, crc)
        if unpacked_before + size > limits["unpacked"]:
            raise UploadRefused(_too_big(limits))
        _check_ratio(info, size, limits)
        if rows is not None:
            rows.feed(chunk)
        if runs is not None:
            runs.feed(chunk)
    if size != info.file_size or crc != info.CRC:  # a directory that lies about its entries
        raise UploadRefused(_damaged())
    return size


def _entry_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """The entry inflated by hand, 1 MB at a time, to the end of its deflate stream: zipfile
    itself stops at the declared size, while another reader (calamine) inflates all there is."""
    if info.flag_bits & 0x1:  # encrypted
        raise UploadRefused(_damaged())
    handle = archive.fp
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) != 30 or header[:4] != ZIP_MAGIC:
        raise zipfile.BadZipFile("no local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    left = info.compress_size
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0 and not (inflate and inflate.eof):
        raw = handle.read(min(CHUNK // 4, left))
        if not raw:
            raise zipfile.BadZipFile("truncated entry")
        left -= len(raw)
        if inflate is None:
            yield raw
            continue
        data = inflate.decompress(raw, CHUNK)
        while data:
            yield data
            data = inflate.decompress(inflate.unconsumed_tail, CHUNK) if inflate.unconsumed_tail else b""
    if inflate is not None and not inflate.eof:
        raise zipfile.BadZipFile("deflate stream does not end")


class _RowCounter:
    """Counts <row> elements across chunks (C-speed `bytes.count`, no regex over 200 MB) and
    reads the declared <dimension>."""

    TOKENS = (b"<row", b":row")  # also <rowBreaks, once a sheet: a harmless overcount

    def __init__(self, limit: int):
        self.limit, self.count, self.tail, self.first = limit, 0, b"", True

    def feed(self, chunk: bytes) -> None:
        if self.first:
            self.first = False
            match = _DIMENSION.search(chunk[:4096])
            if match and int(match.group(1)) > self.limit:
                raise UploadRefused(_too_many_rows(self.limit))
        data = self.tail + chunk  # a tag cut in two by the chunking is counted once
        self.count += sum(data.count(t) - self.tail.count(t) for t in self.TOKENS)
        if self.count > self.limit:
            raise UploadRefused(_too_many_rows(self.limit))
        self.tail = chunk[-5:]


class _RunMeter:
    """The longest text between two tags, in characters: a cell's text or a shared string
    holds no `<` (it is escaped), so no cell is longer than the longest run."""

    def __init__(self, limit: int):
        self.limit, self.run = limit, 0
        self.step = max(1, limit // 2)  # every run longer than the limit holds a sample point

    def feed(self, chunk: bytes) -> None:
        first = chunk.find(b"<")
        if first < 0:
            self.run += _chars(chunk)
            self._check(self.run)
            return
        self.run += _chars(chunk[:first])  # continues the run the last chunk ended with
        self._check(self.run)
        last = chunk.rfind(b"<")
        point = first + 1
        while point < last:
            start, end = chunk.rfind(b"<", 0, point) + 1, chunk.find(b"<", point)
            if end - start > self.limit:  # a byte never undercounts a character: decode only then
                self._check(_chars(_text_of(chunk[start:end])))
            point = max(point + self.step, end + 1)
        self.run = _chars(_text_of(chunk[last + 1 :]))
        self._check(self.run)

    def _check(self, length: int) -> None:
        if length > self.limit:
            raise UploadRefused(
                _("A cell holds more than %(chars)d characters; the file is refused.") % {"chars": self.limit}
            )


def _text_of(piece: bytes) -> bytes:
    """What follows the tag a piece starts with (`t xml:space="preserve">text` → `text`)."""
    end = piece.find(b">", 0, 256)
    return piece[end + 1 :] if end >= 0 else piece


def _chars(piece: bytes) -> int:
    return len(piece) if piece.isascii() else len(piece.decode("utf-8", "ignore"))


def _not_xlsx() -> str:
    return _("Only Excel .xlsx files can be imported; save .xls or .csv files as .xlsx in Excel first.")


def _damaged() -> str:
    return _("The file is damaged or cannot be opened as an Excel workbook.")


def _too_big(limits) -> str:
    return _("The workbook unpacks to more than %(mb)d MB; split it into smaller files.") % {
        "mb": limits["unpacked"] // (1024 * 1024)
    }


def _too_many_rows(limit: int) -> str:
    return _("A sheet has more than %(rows)d rows; split it into smaller files.") % {"rows": limit}
