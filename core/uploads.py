"""Upload checks shared by every app: a size limit and a type recognised from the file's content (its
magic bytes), never only from its name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
}
IMAGE_TYPES = {k: v for k, v in DOCUMENT_TYPES.items() if k.startswith("image/")}


def _detect(upload) -> str | None:
    pos = upload.tell() if hasattr(upload, "tell") else 0
    head = upload.read(8192)
    upload.seek(pos)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime == "application/zip" or kind.extension == "docx":
        # .docx is a zip; accept it only when the name says so and the zip holds a Word part.
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if kind.mime in ("application/x-ole-storage", "application/x-cfb"):
        return "application/msword"
    return kind.mime


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
    name_ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    expected = allowed[mime]
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
