"""Backup and restore: every record and every uploaded file comes back identical."""

import hashlib
import tarfile
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.backup import _models, flush_database


def snapshot() -> dict:
    return {
        model._meta.label_lower: serializers.serialize("python", model._default_manager.order_by("pk"))
        for model in _models()
    }


def media_digest(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_record_and_file(settings, tmp_path):
    call_command("seed_demo", "--seed", "7", verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    (media / "attachments" / "2026").mkdir(parents=True)
    (media / "attachments" / "2026" / "会议记录.pdf").write_bytes(b"%PDF-1.4 test \x00\x01")
    (media / "photos").mkdir()
    (media / "photos" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    # A timestamp whose milliseconds are zero but microseconds are not (Django's JSON keeps only ms).
    from branches.models import Organization

    Organization.objects.filter(pk=Organization.objects.first().pk).update(
        updated_at=timezone.now().replace(microsecond=412)
    )
    before, files_before = snapshot(), media_digest(media)
    assert sum(1 for v in before.values() if v) > 10  # the demo data fills many tables

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        assert {"data.json", "manifest.json"} <= set(tar.getnames())

    flush_database()
    for f in media.rglob("*"):
        if f.is_file():
            f.unlink()
    assert all(not v for k, v in snapshot().items() if not k.startswith("auth.group"))

    call_command("restore", str(archive), verbosity=0)
    assert snapshot() == before
    assert media_digest(media) == files_before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data(orgs, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_damaged_archive_is_refused(tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "data.json":
                data = data.replace(b"]", b", {}]", 1) if data != b"[]" else b"[{}]"
                member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), verbosity=0)
