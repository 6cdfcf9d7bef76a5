"""Backups are private (0600, optionally encrypted), hold no live secrets, and name a row the database
cannot hand back instead of failing without saying which."""

import json
import os
import stat
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection

from core import backup
from core.backup import MAGIC, flush_database, generate_key
from meetings.models import CalendarToken, Meeting
from members.models import RosterImport
from tests.factories import MeetingFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROSTER = "姓名,身份证号,手机\n李明,110101200801011234,13800138000\n".encode()


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def archive_data(path: Path) -> list[dict]:
    with tarfile.open(path) as tar:
        return json.loads(tar.extractfile("data.json").read())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db  # writes only: no restore, no flush
def test_archive_is_readable_by_its_owner_only(tmp_path, umask_022):
    archive = tmp_path / "b.tar.gz"
    archive.write_bytes(b"an older archive, world-readable")
    archive.chmod(0o644)
    call_command("backup", "--output", str(archive), verbosity=0)
    assert mode(archive) == 0o600
    assert tarfile.is_tarfile(archive)
    assert [p.name for p in tmp_path.iterdir()] == ["b.tar.gz"]  # no partial file left beside it


@pytest.mark.django_db
def test_default_backups_folder_is_private(tmp_path, monkeypatch, umask_022):
    monkeypatch.chdir(tmp_path)
    call_command("backup", verbosity=0)
    folder = tmp_path / "backups"
    (archive,) = folder.iterdir()
    assert mode(folder) == 0o700 and mode(archive) == 0o600


def test_encrypted_archive_round_trips_with_the_key_and_logins_survive(settings, tmp_path, capsys):
    settings.PARTYLEAGUE_BACKUP_KEY = generate_key()
    user = UserFactory(username="secretary_wang")
    user.set_password("党建带团建2026")
    user.save()
    OrganizationFactory(name="城南中学团委")
    archive = tmp_path / "b.tar.gz.enc"
    call_command("backup", "--output", str(archive))
    assert "(encrypted)" in capsys.readouterr().out
    raw = archive.read_bytes()
    assert raw.startswith(MAGIC) and mode(archive) == 0o600
    assert b"secretary_wang" not in raw and not tarfile.is_tarfile(archive)

    flush_database()
    call_command("restore", str(archive), verbosity=0)
    assert User.objects.get(username="secretary_wang").check_password("党建带团建2026")


def test_encrypted_archive_is_refused_without_its_key(settings, tmp_path):
    settings.PARTYLEAGUE_BACKUP_KEY = generate_key()
    archive = tmp_path / "b.tar.gz.enc"
    call_command("backup", "--output", str(archive), verbosity=0)
    flush_database()
    settings.PARTYLEAGUE_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="encrypted: set PARTYLEAGUE_BACKUP_KEY"):
        call_command("restore", str(archive), verbosity=0)
    settings.PARTYLEAGUE_BACKUP_KEY = generate_key()
    with pytest.raises(CommandError, match="does not open this archive"):
        call_command("restore", str(archive), verbosity=0)


@pytest.mark.django_db
def test_an_invalid_key_is_refused_clearly(settings, tmp_path):
    settings.PARTYLEAGUE_BACKUP_KEY = "not-a-key"
    with pytest.raises(CommandError, match="not a valid key"):
        call_command("backup", "--output", str(tmp_path / "b"), verbosity=0)
    assert not list(tmp_path.iterdir())


def test_damaged_encrypted_archive_is_refused(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "FRAME_BYTES", 512)  # several frames even for an almost empty database
    settings.PARTYLEAGUE_BACKUP_KEY = generate_key()
    MeetingFactory.create_batch(3)
    archive = tmp_path / "b.tar.gz.enc"
    call_command("backup", "--output", str(archive), verbosity=0)
    body = archive.read_bytes()[len(MAGIC) :]
    frames = []
    while body:
        n = int.from_bytes(body[:4], "big")
        frames.append(body[: 4 + n])
        body = body[4 + n :]
    assert len(frames) >= 3
    flipped = frames[1][:40] + bytes([frames[1][40] ^ 1]) + frames[1][41:]
    damaged = {
        "cut short": frames[:-1],
        "frames swapped": [frames[1], frames[0], *frames[2:]],
        "a byte flipped": [frames[0], flipped, *frames[2:]],
        "data after the end": [*frames, frames[-1]],
    }
    flush_database()
    for how, parts in damaged.items():
        archive.write_bytes(MAGIC + b"".join(parts))
        with pytest.raises(CommandError, match="damaged"):
            call_command("restore", str(archive), verbosity=0)
        assert not Meeting.objects.exists(), how


def test_calendar_tokens_sessions_and_raw_rosters_stay_out(client, tmp_path):
    user = UserFactory(username="class1")
    token = CalendarToken.objects.create(user=user).token
    client.force_login(user)
    assert Session.objects.exists()
    RosterImport.objects.create(user=user, filename="高一1班.csv", content=ROSTER)
    archive = tmp_path / "b.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)

    rows = archive_data(archive)
    models = {row["model"] for row in rows}
    assert "meetings.calendartoken" not in models and "sessions.session" not in models
    (roster,) = [row for row in rows if row["model"] == "members.rosterimport"]
    assert roster["fields"]["filename"] == "高一1班.csv" and roster["fields"]["content"] == ""
    with tarfile.open(archive) as tar:
        everything = b"".join(tar.extractfile(m).read() for m in tar.getmembers())
    assert token.encode() not in everything and b"110101200801011234" not in everything

    flush_database()
    call_command("restore", str(archive), verbosity=0)
    assert not CalendarToken.objects.exists()
    assert bytes(RosterImport.objects.get().content) == b""


def test_restore_drops_the_calendar_tokens_of_an_older_archive(tmp_path, monkeypatch):
    CalendarToken.objects.create(user=UserFactory())
    monkeypatch.setattr(backup, "SECRETS", set())  # an archive written before tokens were left out
    archive = tmp_path / "old.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)
    assert "meetings.calendartoken" in {row["model"] for row in archive_data(archive)}
    monkeypatch.undo()
    flush_database()
    call_command("restore", str(archive), verbosity=0)
    assert User.objects.exists() and not CalendarToken.objects.exists()


def _backup_refuses_naming(meeting, tmp_path):
    archive = tmp_path / "b.tar.gz"
    with pytest.raises(CommandError) as refused:
        call_command("backup", "--output", str(archive), verbosity=0)
    message = str(refused.value)
    assert f"meetings.meeting pk={meeting.pk} (table meetings_meeting, column starts_at)" in message
    assert "1 row(s) cannot be read" in message  # its history rows and the other meeting are fine
    assert not list(tmp_path.iterdir())  # no archive, and no partial one


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="BC timestamps exist only in PostgreSQL (SQLite's variant is the test below)",
)
def test_bc_timestamp_is_named_and_no_archive_written_postgresql(tmp_path):
    MeetingFactory()
    meeting = MeetingFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meetings_meeting SET starts_at = '0001-12-31 15:54:17+00 BC' WHERE id = %s", [meeting.pk]
        )
    _backup_refuses_naming(meeting, tmp_path)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL has no year 0 to store (its BC variant is the test above)"
)
def test_year_zero_text_is_named_and_no_archive_written_sqlite(tmp_path):
    MeetingFactory()
    meeting = MeetingFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_meeting SET starts_at = '0000-12-31 16:00:00' WHERE id = %s", [meeting.pk])
    _backup_refuses_naming(meeting, tmp_path)
