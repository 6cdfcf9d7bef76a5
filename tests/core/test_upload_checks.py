"""Upload type checks (core.uploads): any ZIP passed as a .docx, and a file without an extension skipped
the name check. A Word/Excel/PowerPoint package must now hold its main part, the package is measured before
anything is unpacked, and a name must have an extension that matches the content."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from docx import Document
from openpyxl import Workbook

from activities.models import Honor
from core import uploads
from meetings.models import MeetingAttachment
from tests.factories import MeetingFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("支部委员会会议纪要")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active["A1"] = "姓名"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in entries.items():
            package.writestr(name, content)
    return out.getvalue()


def content_types(main_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>'
    )


def check(name: str, content: bytes) -> str:
    return uploads.validate_upload(SimpleUploadedFile(name, content))


def refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as exc:
        check(name, content)
    return exc.value.code


def test_a_real_docx_is_accepted_and_any_other_zip_named_docx_is_refused():
    assert check("会议纪要.docx", docx_bytes()) == uploads.DOCX
    assert refused("会议纪要.docx", zip_bytes({"readme.txt": "不是文档"})) == "bad_type"
    assert refused("会议纪要.docx", zip_bytes({"[Content_Types].xml": content_types(WORD_MAIN)})) == "bad_type"


def test_a_package_must_declare_its_main_part_as_a_word_document():
    """A macro-enabled document (.docm) renamed .docx has word/document.xml but another content type."""
    macro = "application/vnd.ms-word.document.macroEnabled.main+xml"
    package = zip_bytes({"[Content_Types].xml": content_types(macro), "word/document.xml": "<w:document/>"})
    assert refused("会议纪要.docx", package) == "bad_type"
    package = zip_bytes({"[Content_Types].xml": content_types(WORD_MAIN), "word/document.xml": "<w:document/>"})
    assert check("会议纪要.docx", package) == uploads.DOCX


def test_a_spreadsheet_renamed_docx_is_recognised_as_a_spreadsheet_and_refused():
    assert refused("会议纪要.docx", xlsx_bytes()) == "bad_type"
    assert (
        uploads.validate_upload(SimpleUploadedFile("名单.xlsx", xlsx_bytes()), {uploads.XLSX: "xlsx"}) == uploads.XLSX
    )


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_UNPACKED_BYTES", 1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types(WORD_MAIN))
        with package.open("word/document.xml", "w") as part:
            for _ in range(4):
                part.write(b"\0" * 1024 * 1024)  # 4 MB of zeros: a few kB packed
    assert len(out.getvalue()) < 50_000
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append(a) or pytest.fail("unpacked"))
    assert refused("会议纪要.docx", out.getvalue()) == "zip_limits"
    assert not opened


def test_a_package_with_too_many_parts_is_refused_before_its_directory_is_read(monkeypatch):
    package = zip_bytes(
        {"[Content_Types].xml": content_types(WORD_MAIN), "word/document.xml": ""} | {f"p{i}": "" for i in range(30)}
    )
    monkeypatch.setattr(uploads, "ZIP_MAX_ENTRIES", 20)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", lambda *a, **k: pytest.fail("directory read"))
    assert refused("会议纪要.docx", package) == "zip_limits"


def test_a_truncated_or_corrupt_package_is_refused():
    package = docx_bytes()
    assert refused("会议纪要.docx", package[: len(package) // 2]) == "bad_type"
    assert refused("会议纪要.docx", b"PK\x03\x04" + b"\xff" * 500) == "bad_type"


def test_a_file_without_an_extension_is_refused_on_upload_but_not_once_stored():
    assert refused("会议纪要", PDF) == "no_extension"
    assert refused("会议纪要.", docx_bytes()) == "no_extension"
    assert check("会议纪要.PDF", PDF) == "application/pdf"
    # A record edited later validates the file it holds, under the name the app stored it with.
    field = Honor._meta.get_field("certificate")
    name = default_storage.save("activities/certificates/2025/legacy", ContentFile(PDF))
    stored = FieldFile(instance=None, field=field, name=name)
    assert uploads.validate_upload(stored) == "application/pdf"


@pytest.mark.django_db
def test_the_attachment_upload_stores_a_real_docx_but_not_a_renamed_zip(client_for, branch_secretary, orgs):
    meeting = MeetingFactory(organization=orgs.branch1, kind="branch_committee")
    client = client_for(branch_secretary)
    url = reverse("meetings:attachment_upload", args=[meeting.pk])
    for name, content in [("纪要.docx", zip_bytes({"a.txt": "x"})), ("纪要", PDF)]:
        client.post(url, {"file": SimpleUploadedFile(name, content), "caption": "纪要"})
    assert not MeetingAttachment.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("纪要.docx", docx_bytes()), "caption": "纪要"})
    assert MeetingAttachment.objects.get().content_type == uploads.DOCX
