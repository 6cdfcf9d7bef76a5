from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0003_fill_duesaccount_standing"),
    ]

    operations = [
        migrations.AlterField(
            model_name="duesaccount",
            name="paid_through",
            field=models.DateField(
                editable=False,
                help_text=(
                    "The last month of the unbroken run of paid months from the first month owed (the month before "
                    "the first month owed when that one is unpaid)."
                ),
                verbose_name="paid through",
            ),
        ),
    ]
