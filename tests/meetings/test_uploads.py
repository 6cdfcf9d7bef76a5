import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import MeetingAttachment
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def meeting(orgs):
    return MeetingFactory(organization=orgs.branch1, kind="branch_committee")


def upload(client, meeting, name, content, ctype="application/pdf"):
    return client.post(
        reverse("meetings:attachment_upload", args=[meeting.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=ctype), "caption": "签到表"},
        follow=True,
    )


def test_a_real_pdf_is_stored_and_served_only_through_the_checked_view(client_for, branch_secretary, outsider, meeting):
    r = upload(client_for(branch_secretary), meeting, "签到表.pdf", PDF)
    assert "File added" in r.content.decode()
    att = MeetingAttachment.objects.get()
    assert att.content_type == "application/pdf" and att.original_name == "签到表.pdf"
    assert not att.file.name.endswith("签到表.pdf")  # stored under a random name
    response = client_for(branch_secretary).get(reverse("meetings:attachment", args=[att.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    client_for(outsider)
    assert client_for(outsider).get(reverse("meetings:attachment", args=[att.pk])).status_code == 404


def test_an_image_is_shown_inline_as_a_photo(client_for, branch_secretary, meeting):
    upload(client_for(branch_secretary), meeting, "合影.png", PNG, "image/png")
    att = MeetingAttachment.objects.get()
    assert att.is_image
    response = client_for(branch_secretary).get(reverse("meetings:attachment", args=[att.pk]))
    assert response["Content-Type"] == "image/png" and "inline" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content"),
    [("会议纪要.pdf", EXE), ("会议纪要.pdf", "这只是一段文字".encode()), ("photo.pdf", PNG), ("setup.exe", EXE)],
)
def test_disguised_or_unknown_files_are_refused(client_for, branch_secretary, meeting, name, content):
    r = upload(client_for(branch_secretary), meeting, name, content)
    assert r.status_code == 200
    assert not MeetingAttachment.objects.exists()
    text = r.content.decode()
    assert "not accepted" in text or "content is" in text


def test_oversize_file_is_refused(client_for, branch_secretary, meeting, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    r = upload(client_for(branch_secretary), meeting, "big.pdf", PDF + b"0" * 2000)
    assert "too large" in r.content.decode()
    assert not MeetingAttachment.objects.exists()


def test_viewer_cannot_upload(client_for, viewer, meeting):
    r = client_for(viewer).post(reverse("meetings:attachment_upload", args=[meeting.pk]), {"file": io.BytesIO(PDF)})
    assert r.status_code == 403


def test_media_is_not_served_by_a_public_url(client_for, branch_secretary, meeting, settings):
    upload(client_for(branch_secretary), meeting, "a.pdf", PDF)
    att = MeetingAttachment.objects.get()
    assert client_for(branch_secretary).get(settings.MEDIA_URL + att.file.name).status_code == 404


def test_deleting_a_file_removes_it(client_for, branch_secretary, meeting, django_capture_on_commit_callbacks):
    upload(client_for(branch_secretary), meeting, "a.pdf", PDF)
    att = MeetingAttachment.objects.get()
    path = att.file.path
    with django_capture_on_commit_callbacks(execute=True):
        client_for(branch_secretary).post(reverse("meetings:attachment_delete", args=[att.pk]))
    assert not MeetingAttachment.objects.exists()
    import os

    assert not os.path.exists(path)
