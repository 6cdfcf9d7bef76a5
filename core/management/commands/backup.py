from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.backup import backup_write


class Command(BaseCommand):
    help = "Write one archive with all the data and uploaded files (restore it with `manage.py restore`)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, default=None, help="Archive path (.tar.gz).")

    def handle(self, *args, output, **options):
        if output is None:
            Path("backups").mkdir(exist_ok=True)
            output = Path("backups") / f"partyleague-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        manifest = backup_write(output)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {output}: {rows} rows, {len(manifest['files'])} files.")
        )
