"""Upload checks shared by every app: a size limit and a type recognised from the file's content (its
magic bytes), never only from its name.

A Word, Excel or PowerPoint file (.docx, .xlsx, .pptx) is a ZIP package, so its magic bytes say only "ZIP".
The package is opened and must hold the main part of its type, declared in [Content_Types].xml; any other ZIP
is refused. The package's directory is checked before anything is unpacked (how many parts, how large once
unpacked), so a ZIP bomb is refused unread."""

import struct
import zipfile
import zlib

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    DOCX: "docx",
    "application/msword": "doc",
}
IMAGE_TYPES = {k: v for k, v in DOCUMENT_TYPES.items() if k.startswith("image/")}

# type: (main part, its content type in [Content_Types].xml). A macro-enabled file (.docm) or a template
# declares another content type for the same part and is refused.
OOXML_MAIN_PARTS = {
    DOCX: ("word/document.xml", b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    PPTX: (
        "ppt/presentation.xml",
        b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
# A long report with pictures holds a few hundred parts and unpacks to a few times its size.
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
CONTENT_TYPES_MAX_BYTES = 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_END_OF_DIRECTORY = b"PK\x05\x06"


def _zip_entry_count(upload) -> int | None:
    """The number of entries the ZIP's end-of-directory record announces, read before the directory is."""
    upload.seek(0, 2)
    size = upload.tell()
    tail_size = min(size, 22 + 0xFFFF)  # the record (22 octets) and a comment of at most 65,535
    upload.seek(size - tail_size)
    tail = upload.read(tail_size)
    at = tail.rfind(_END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < 22:
        return None
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


def _too_big_to_unpack():
    return ValidationError(
        _("This package holds more than %(parts)s parts or unpacks to more than %(size)s: it is not accepted."),
        code="zip_limits",
        params={"parts": ZIP_MAX_ENTRIES, "size": filesizeformat(ZIP_MAX_UNPACKED_BYTES)},
    )


def _ooxml_type(upload) -> str | None:
    """The Office type of a ZIP package (DOCX, XLSX, PPTX), or None when it is not one."""
    count = _zip_entry_count(upload)
    if count is None:
        return None
    if count > ZIP_MAX_ENTRIES:  # 0xFFFF (a ZIP64 package) too
        raise _too_big_to_unpack()
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            entries = package.infolist()
            if len(entries) > ZIP_MAX_ENTRIES or sum(e.file_size for e in entries) > ZIP_MAX_UNPACKED_BYTES:
                raise _too_big_to_unpack()
            names = {e.filename for e in entries}
            if "[Content_Types].xml" not in names:
                return None
            # Read at most the limit: the sizes the directory states are not trusted while unpacking.
            with package.open("[Content_Types].xml") as part:
                content_types = part.read(CONTENT_TYPES_MAX_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
        return None
    if len(content_types) > CONTENT_TYPES_MAX_BYTES:
        raise _too_big_to_unpack()
    for mime, (main_part, main_type) in OOXML_MAIN_PARTS.items():
        if main_part in names and main_type in content_types:
            return mime
    return None


def _detect(upload) -> str | None:
    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(8192)
        if head.startswith(_ZIP_MAGIC):
            return _ooxml_type(upload)
        kind = filetype.guess(head)
    finally:
        upload.seek(pos)
    if kind is None:
        return None
    if kind.mime in ("application/x-ole-storage", "application/x-cfb"):
        return "application/msword"
    return kind.mime


def _is_stored(upload) -> bool:
    # A record edited again validates the file it already holds: that file's name was given by the app.
    return getattr(upload, "_committed", False) is True


def validate_upload(upload, allowed: dict[str, str] = DOCUMENT_TYPES) -> str:
    """Raise ValidationError unless `upload` is within the size limit and of an allowed type. Returns
    the detected MIME type."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    mime = _detect(upload)
    if mime not in allowed:
        raise ValidationError(
            _("This file type is not accepted. Allowed: %(types)s."),
            code="bad_type",
            params={"types": ", ".join(sorted(set(allowed.values())))},
        )
    name = (upload.name or "").rsplit("/", 1)[-1]
    name_ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = allowed[mime]
    if not name_ext and not _is_stored(upload):
        raise ValidationError(
            _("The file's name has no extension; rename it to end in .%(real)s and upload it again."),
            code="no_extension",
            params={"real": expected},
        )
    if name_ext and name_ext != expected and {name_ext, expected} != {"jpg", "jpeg"}:
        raise ValidationError(
            _("The file's name says .%(ext)s but its content is %(real)s."),
            code="disguised",
            params={"ext": name_ext, "real": expected},
        )
    return mime


def validate_document(upload):
    validate_upload(upload, DOCUMENT_TYPES)


def validate_image(upload):
    validate_upload(upload, IMAGE_TYPES)
