from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="duesaccount",
            name="paid_through",
            field=models.DateField(
                editable=False,
                null=True,
                help_text=(
                    "The last month of the unbroken run of paid months from the first month owed (the month before "
                    "the first month owed when that one is unpaid)."
                ),
                verbose_name="paid through",
            ),
        ),
        migrations.AddField(
            model_name="duesaccount",
            name="last_paid",
            field=models.DateField(editable=False, null=True, verbose_name="last month paid"),
        ),
        migrations.AddIndex(
            model_name="duesaccount",
            index=models.Index(fields=["paid_through"], name="finance_dues_paid_through"),
        ),
    ]
