from django.db import migrations, models

# Erasing a visit's personal data clears the address of the SMS its constituent was sent:
# found through this index, not by scanning every notice. Partial: the sweeps' rows are
# not in it.


class Migration(migrations.Migration):
    dependencies = [("liaison", "0024_notification_no_subject_or_due_date_index")]

    operations = [
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(kind__in=("case_submitted", "case_to_constituent")),
                fields=["subject_id"],
                name="notification_constituent_idx",
            ),
        ),
    ]
