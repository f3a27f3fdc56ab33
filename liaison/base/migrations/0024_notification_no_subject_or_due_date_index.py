from django.db import migrations

# Nothing reads the outbox by its subject or its due date, and every row a sweep writes
# (tens of thousands at once) was an entry in both indexes.


class Migration(migrations.Migration):
    dependencies = [("liaison", "0023_notification_fewer_index_entries")]

    operations = [
        migrations.RemoveIndex(model_name="notification", name="notification_subject_idx"),
        migrations.RemoveIndex(model_name="notification", name="notification_due_date_idx"),
    ]
