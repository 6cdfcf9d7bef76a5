"""One-archive backup and restore: the database's data (Django's portable JSON, so a SQLite backup can
be restored into PostgreSQL and back) plus every uploaded file, with a manifest of counts and checksums
that `restore` verifies."""

import base64
import hashlib
import io
import json
import tarfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

# Rebuilt by migrations or meaningless after a restore.
EXCLUDED = {"contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"}
FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _models():
    for model in apps.get_models():  # auto-created M2M tables travel with their models
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in EXCLUDED or meta.label_lower in EXCLUDED:
            continue
        yield model


def _encode(value):
    # Full precision: Django's JSON serializer keeps only milliseconds of a datetime, which would not
    # round-trip exactly.
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    raise TypeError(f"Cannot archive {type(value).__name__}")


def _dumps(rows) -> bytes:
    return json.dumps(rows, default=_encode, ensure_ascii=False).encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup_write(path: Path) -> dict:
    """Write the archive to `path` (.tar.gz); returns the manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    manifest = {"format": FORMAT_VERSION, "created": timezone.now().isoformat(), "counts": {}, "files": {}}
    with transaction.atomic(), tarfile.open(path, "w:gz") as tar:
        objects = []
        for model in _models():
            rows = list(model._default_manager.order_by("pk"))
            manifest["counts"][model._meta.label_lower] = len(rows)
            objects.extend(rows)
        data = _dumps(serializers.serialize("python", objects, use_natural_foreign_keys=True))
        _add_bytes(tar, "data.json", data)
        manifest["data_sha256"] = _sha256(data)
        if media_root.exists():
            for file in sorted(p for p in media_root.rglob("*") if p.is_file()):
                rel = file.relative_to(media_root).as_posix()
                content = file.read_bytes()
                manifest["files"][rel] = _sha256(content)
                _add_bytes(tar, f"media/{rel}", content)
        _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return manifest


def _database_is_empty() -> bool:
    from branches.models import Organization
    from members.models import Person

    return not Organization.objects.exists() and not Person.objects.exists()


def restore_read(path: Path, *, allow_nonempty: bool = False) -> dict:
    """Load an archive written by `backup_write` into a migrated, empty database and MEDIA_ROOT."""
    if not allow_nonempty and not _database_is_empty():
        raise BackupError("The database is not empty: restore only into a fresh, migrated database.")
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
        data = tar.extractfile("data.json").read()
        if _sha256(data) != manifest["data_sha256"]:
            raise BackupError("The archive's data does not match its checksum: it is damaged.")
        with transaction.atomic():
            # Rows created by migrations (the role groups) are replaced by the archive's copies.
            from django.contrib.auth.models import Group

            Group.objects.all().delete()
            for obj in serializers.deserialize("python", json.loads(data), handle_forward_references=True):
                obj.save()
            _reset_sequences()
        for rel, digest in manifest["files"].items():
            member = tar.getmember(f"media/{rel}")
            content = tar.extractfile(member).read()
            if _sha256(content) != digest:
                raise BackupError(f"File {rel} is damaged in the archive.")
            target = (media_root / rel).resolve()
            if media_root.resolve() not in target.parents:
                raise BackupError(f"Unsafe path in archive: {rel}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    return manifest


def _reset_sequences():
    connection = connections[DEFAULT_DB_ALIAS]
    statements = connection.ops.sequence_reset_sql(_NoStyle(), list(_models()))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


def flush_database():
    call_command("flush", interactive=False, verbosity=0)
