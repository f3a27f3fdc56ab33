from django.conf import settings
from django.db import migrations, models

# The header's unread count on every staff page reads only the unread in-app rows, from
# the index alone: through the inbox index it fetched every row a login ever received.


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0025_notification_constituent_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(channel="in_app", read_at__isnull=True, user__isnull=False),
                fields=["user"],
                name="notification_unread_idx",
            ),
        ),
    ]
