"""One-archive backup and restore: the database's data (Django's portable JSON, so a SQLite backup can
be restored into PostgreSQL and back) plus every uploaded file, with a manifest of counts and checksums
that `restore` verifies.

The archive is written readable by its owner only (0600) and, given a key, encrypted (Fernet, in
frames so a large archive never sits in memory whole). Live secrets stay out of it: sessions, calendar
feed tokens and the raw roster files uploaded for import. Password hashes stay in, so accounts keep their
logins after a restore: encrypt the archive. A row the database holds but cannot hand back (a BC timestamp)
stops the backup before any file is written, naming every such row. docs/backups.md is the policy."""

import base64
import hashlib
import io
import json
import os
import struct
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DataError, connections, transaction
from django.utils import timezone

# Rebuilt by migrations or meaningless after a restore.
EXCLUDED = {"contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"}
# Live secrets: a calendar feed token opens its user's meetings to whoever holds the URL. Users turn the
# feed on again after a restore (a new URL); an older archive's tokens are dropped on restore too.
SECRETS = {"meetings.calendartoken"}
# Fields emptied in the archive. An uploaded roster (names, ID numbers, phones of a whole class) is kept
# only until it is applied; the import's record (who, when, how many) stays.
SCRUBBED = {"members.rosterimport": {"content": b""}}
# Rows that migrations create, so a freshly migrated database still counts as empty.
MIGRATION_ROWS = {"auth.group"}
FORMAT_VERSION = 1

# An encrypted archive: MAGIC, then frames of (4-byte length, Fernet token). Each token holds the frame's
# number and a last-frame flag before its bytes of the .tar.gz, so a dropped, repeated or reordered frame
# and a cut-off file are refused, not restored short.
MAGIC = b"PARTYLEAGUE-BACKUP-FERNET-1\n"
FRAME_BYTES = 1 << 20
_FRAME_HEAD = struct.Struct(">Q?")
_LENGTH = struct.Struct(">I")

# What a database row that cannot be read raises: psycopg's DataError for a timestamp before year 1,
# ValueError/OverflowError from the converters of SQLite's text dates.
UNREADABLE = (DataError, ValueError, OverflowError)


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class UnreadableRow:
    label: str
    pk: object
    table: str
    columns: tuple[str, ...]
    error: str

    def __str__(self):
        columns = ", ".join(self.columns) or "?"
        return f"{self.label} pk={self.pk} (table {self.table}, column {columns}): {self.error}"


class UnreadableRowsError(BackupError):
    def __init__(self, rows: list[UnreadableRow]):
        self.rows = rows
        listed = "\n".join(f"  {row}" for row in rows)
        super().__init__(
            f"{len(rows)} row(s) cannot be read back from the database, so no archive was written:\n{listed}\n"
            "Correct each value in the database (see docs/backups.md) and run the backup again."
        )


def _models():
    for model in apps.get_models():  # auto-created M2M tables travel with their models
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in EXCLUDED or meta.label_lower in EXCLUDED | SECRETS:
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
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


# --- Reading the database ------------------------------------------------------------------------------


def _try_read(queryset) -> list | None:
    try:
        with transaction.atomic():  # a savepoint, so the backup's transaction survives a failed read
            return list(queryset)
    except UNREADABLE:
        return None


def _read_rows(model, unreadable: list[UnreadableRow]) -> list:
    """The model's rows; rows that cannot be read are added to `unreadable` instead. One query when all
    is well; on a failure the rows are read again in batches, then one by one, to name the bad ones."""
    queryset = model._default_manager.order_by("pk")
    rows = _try_read(queryset)
    if rows is not None:
        return rows
    rows = []
    pks = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(pks), 500):
        batch = pks[start : start + 500]
        found = _try_read(queryset.filter(pk__in=batch))
        if found is not None:
            rows.extend(found)
            continue
        for pk in batch:
            found = _try_read(queryset.filter(pk=pk))
            if found is None:
                unreadable.append(_diagnose(model, pk))
            else:
                rows.extend(found)
    return rows


def _diagnose(model, pk) -> UnreadableRow:
    columns, errors = [], []
    for field in model._meta.concrete_fields:
        try:
            with transaction.atomic():
                list(model._default_manager.filter(pk=pk).values_list(field.attname))
        except UNREADABLE as exc:
            columns.append(field.column)
            errors.append(str(exc).strip())
    meta = model._meta
    return UnreadableRow(meta.label_lower, pk, meta.db_table, tuple(columns), "; ".join(dict.fromkeys(errors)))


def _scrub(objects: list[dict]) -> list[dict]:
    for obj in objects:
        emptied = SCRUBBED.get(obj["model"])
        if emptied:
            obj["fields"].update(emptied)
    return objects


def _read_database(manifest: dict) -> bytes:
    connection = connections[DEFAULT_DB_ALIAS]
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table: a meeting deleted halfway must not leave its attendance behind.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        objects, unreadable = [], []
        for model in _models():
            rows = _read_rows(model, unreadable)
            manifest["counts"][model._meta.label_lower] = len(rows)
            objects.extend(rows)
        if unreadable:
            raise UnreadableRowsError(unreadable)
        return _dumps(_scrub(serializers.serialize("python", objects, use_natural_foreign_keys=True)))


# --- Files and encryption ---------------------------------------------------------------------------------


def fernet_for(key: str):
    """The Fernet of a key from PARTYLEAGUE_BACKUP_KEY (`manage.py backup --generate-key` makes one)."""
    from cryptography.fernet import Fernet

    try:
        return Fernet(key.strip().encode())
    except ValueError as exc:
        raise BackupError(
            "PARTYLEAGUE_BACKUP_KEY is not a valid key (32 url-safe base64-encoded bytes): make one with "
            "`manage.py backup --generate-key`."
        ) from exc


def generate_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


class _EncryptingWriter:
    """A write-only stream that encrypts what tarfile writes, one frame per FRAME_BYTES."""

    def __init__(self, out, fernet):
        self._out, self._fernet = out, fernet
        self._buffer = bytearray()
        self._number = 0
        out.write(MAGIC)

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) >= FRAME_BYTES:
            self._frame(bytes(self._buffer[:FRAME_BYTES]), last=False)
            del self._buffer[:FRAME_BYTES]
        return len(data)

    def finish(self):
        self._frame(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _frame(self, chunk: bytes, *, last: bool):
        token = self._fernet.encrypt(_FRAME_HEAD.pack(self._number, last) + chunk)
        self._out.write(_LENGTH.pack(len(token)) + token)
        self._number += 1


def _decrypt(src, dst, fernet):
    from cryptography.fernet import InvalidToken

    number = 0
    while True:
        head = src.read(_LENGTH.size)
        token = src.read(_LENGTH.unpack(head)[0]) if len(head) == _LENGTH.size else b""
        if not token:
            raise BackupError("The encrypted archive is cut short: it is damaged.")
        try:
            plain = fernet.decrypt(token)
        except InvalidToken as exc:
            if number == 0:
                raise BackupError(
                    "PARTYLEAGUE_BACKUP_KEY does not open this archive: use the key it was written with."
                ) from exc
            raise BackupError("The encrypted archive is damaged.") from exc
        found, last = _FRAME_HEAD.unpack(plain[: _FRAME_HEAD.size])
        if found != number:
            raise BackupError("The encrypted archive's parts are out of order: it is damaged.")
        dst.write(plain[_FRAME_HEAD.size :])
        number += 1
        if last:
            break
    if src.read(1):
        raise BackupError("The encrypted archive has data after its end: it is damaged.")


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


@contextmanager
def _private_file(path: Path) -> Iterator:
    """A file only its owner can read (0600 whatever the umask), written beside `path` and renamed onto it
    once complete: an interrupted backup never leaves a truncated archive under the real name."""
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(partial)
        raise


# --- Backup and restore ----------------------------------------------------------------------------------


def backup_write(path: Path, *, key: str | None = None) -> dict:
    """Write the archive to `path` (.tar.gz; encrypted when a key is given); returns the manifest.
    Raises UnreadableRowsError, naming every row the database cannot hand back, before writing anything."""
    path = Path(path)
    fernet = fernet_for(key) if key else None
    media_root = Path(settings.MEDIA_ROOT)
    manifest = {
        "format": FORMAT_VERSION,
        "created": timezone.now().isoformat(),
        "counts": {},
        "files": {},
        "left_out": sorted(EXCLUDED | SECRETS),
        "emptied": {label: sorted(fields) for label, fields in SCRUBBED.items()},
    }
    data = _read_database(manifest)
    manifest["data_sha256"] = _sha256(data)
    with _private_file(path) as out:
        sink = _EncryptingWriter(out, fernet) if fernet else out
        with tarfile.open(fileobj=sink, mode="w|gz") as tar:
            _add_bytes(tar, "data.json", data)
            if media_root.exists():
                for file in sorted(p for p in media_root.rglob("*") if p.is_file()):
                    rel = file.relative_to(media_root).as_posix()
                    content = file.read_bytes()
                    manifest["files"][rel] = _sha256(content)
                    _add_bytes(tar, f"media/{rel}", content)
            _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        if fernet:
            sink.finish()
    return manifest


def _database_is_empty() -> bool:
    return not any(
        model._default_manager.exists() for model in _models() if model._meta.label_lower not in MIGRATION_ROWS
    )


@contextmanager
def _open_archive(path: Path, key: str | None) -> Iterator[tarfile.TarFile]:
    with open(path, "rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            f.seek(0)
            with tarfile.open(fileobj=f, mode="r:gz") as tar:
                yield tar
            return
        if not key:
            raise BackupError("This archive is encrypted: set PARTYLEAGUE_BACKUP_KEY to the key it was written with.")
        with tempfile.TemporaryFile() as plain:  # no name on disk, removed when closed
            _decrypt(f, plain, fernet_for(key))
            plain.seek(0)
            with tarfile.open(fileobj=plain, mode="r:gz") as tar:
                yield tar


def restore_read(path: Path, *, key: str | None = None, allow_nonempty: bool = False) -> dict:
    """Load an archive written by `backup_write` into a migrated, empty database and MEDIA_ROOT."""
    if not allow_nonempty and not _database_is_empty():
        raise BackupError("The database is not empty: restore only into a fresh, migrated database.")
    media_root = Path(settings.MEDIA_ROOT)
    with _open_archive(Path(path), key) as tar:
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
            deferred = []
            for obj in serializers.deserialize("python", json.loads(data), handle_forward_references=True):
                if obj.object._meta.label_lower not in SECRETS:  # archives written before they were left out
                    obj.save()
                    if obj.deferred_fields:
                        deferred.append(obj)
            # A row that points to a row later in the archive (a record's user, when the accounts' app comes
            # after the domain apps) gets that link once every row is in, as Django's loaddata does.
            for obj in deferred:
                obj.save_deferred_fields()
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
