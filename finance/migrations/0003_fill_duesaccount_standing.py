"""Fill `DuesAccount.paid_through` and `last_paid` from the payments already recorded (the rule of
`finance.models.standing`, copied here so that later changes to the app cannot change this migration)."""

from collections import defaultdict
from datetime import date

from django.db import migrations


def _add_months(day, n):
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def standing(starts_on, months):
    paid = set(months)
    through = _add_months(starts_on.replace(day=1), -1)
    while _add_months(through, 1) in paid:
        through = _add_months(through, 1)
    return through, max(paid, default=None)


def fill(apps, schema_editor):
    DuesAccount = apps.get_model("finance", "DuesAccount")
    DuesPayment = apps.get_model("finance", "DuesPayment")
    months = defaultdict(list)
    live = DuesPayment.objects.filter(reverses__isnull=True, reversal__isnull=True)
    for account_id, month in live.values_list("account_id", "month").iterator(chunk_size=5000):
        months[account_id].append(month)
    batch = []
    for account in DuesAccount.objects.only("pk", "starts_on").iterator(chunk_size=2000):
        account.paid_through, account.last_paid = standing(account.starts_on, months.get(account.pk, []))
        batch.append(account)
        if len(batch) >= 1000:
            DuesAccount.objects.bulk_update(batch, ["paid_through", "last_paid"])
            batch = []
    DuesAccount.objects.bulk_update(batch, ["paid_through", "last_paid"])


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_duesaccount_standing"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
