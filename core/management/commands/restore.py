from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, is_encrypted, restore_read


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty database (migrations are applied "
        "first). An encrypted archive needs PARTYLEAGUE_BACKUP_KEY set to the key it was written with."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        if not archive.exists():
            raise CommandError(f"No such archive: {archive}")
        key = settings.PARTYLEAGUE_BACKUP_KEY or None
        if is_encrypted(archive) and not key:
            raise CommandError("This archive is encrypted: set PARTYLEAGUE_BACKUP_KEY to the key it was written with.")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = restore_read(archive, key=key)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Restored {rows} rows and {len(manifest['files'])} files from {archive}.")
        )
        self.stdout.write(
            "Not in the archive: sessions (everyone logs in again) and calendar feed URLs (each user turns the "
            "feed on again for a new URL); uploaded roster files awaiting import were left out."
        )
