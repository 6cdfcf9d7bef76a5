from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, backup_write, generate_key


class Command(BaseCommand):
    help = (
        "Write one archive with all the data and uploaded files (restore it with `manage.py restore`). "
        "It is readable by its owner only, and encrypted when PARTYLEAGUE_BACKUP_KEY is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, default=None, help="Archive path.")
        parser.add_argument(
            "--generate-key", action="store_true", help="Print a new key for PARTYLEAGUE_BACKUP_KEY and stop."
        )

    def handle(self, *args, output, **options):
        if options["generate_key"]:
            self.stdout.write(generate_key())
            return
        key = settings.PARTYLEAGUE_BACKUP_KEY or None
        if output is None:
            folder = Path("backups")
            folder.mkdir(mode=0o700, exist_ok=True)
            suffix = ".tar.gz.enc" if key else ".tar.gz"
            output = folder / f"partyleague-{timezone.localtime():%Y%m%d-%H%M%S}{suffix}"
        try:
            manifest = backup_write(output, key=key)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        how = "encrypted" if key else "not encrypted"
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {output} ({how}): {rows} rows, {len(manifest['files'])} files.")
        )
        if not key:
            self.stderr.write(
                self.style.WARNING(
                    "The archive is not encrypted and holds personal data and password hashes: keep it private, "
                    "or set PARTYLEAGUE_BACKUP_KEY (see docs/backups.md)."
                )
            )
