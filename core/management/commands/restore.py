from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_read


class Command(BaseCommand):
    help = "Restore an archive written by `manage.py backup` into an empty database (migrations are applied first)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        if not archive.exists():
            raise CommandError(f"No such archive: {archive}")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = restore_read(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Restored {rows} rows and {len(manifest['files'])} files from {archive}.")
        )
