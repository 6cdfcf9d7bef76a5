import importlib
import random
import time
from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from branches.models import Organization, OrgKind
from core.seeding import SeedContext

SEEDERS = ["branches", "members", "meetings", "activities", "finance", "reports"]


class Command(BaseCommand):
    help = "Load deterministic, realistic demo data (idempotent: does nothing if a school already exists)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--schools", type=int, default=1, help="Number of schools (county scale test).")
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="Pretend today is this date.")
        parser.add_argument("--force", action="store_true", help="Add the data even if a school exists.")

    def handle(self, *args, size, seed, schools, today, force, **options):
        if Organization.objects.filter(kind=OrgKind.SCHOOL).exists() and not force:
            self.stdout.write("Demo data already present; nothing changed.")
            self._print_accounts()
            return
        started = time.monotonic()
        for index in range(schools):
            ctx = SeedContext(
                rng=random.Random(seed + index), size=size, today=today or timezone.localdate(), school_index=index
            )
            with transaction.atomic():
                for app in SEEDERS:
                    module = _seed_module(app)
                    if module is not None:
                        t0 = time.monotonic()
                        module.seed(ctx)
                        self.stdout.write(f"  {app}: {time.monotonic() - t0:.1f} s")
            del ctx  # one school's objects at a time (memory of `--schools N`)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f} s."))
        self._print_accounts()

    def _print_accounts(self):
        from branches.seed import DEMO_ACCOUNTS

        self.stdout.write("Demo accounts (password for all: partyleague2026):")
        for username, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {role}")


def _seed_module(app):
    try:
        return importlib.import_module(f"{app}.seed")
    except ModuleNotFoundError as exc:
        if exc.name == f"{app}.seed":
            return None
        raise
