"""Remove audit records older than AUDIT_KEEP_DAYS (never fewer than 180 days)."""

from django.core.management.base import BaseCommand

from liaison.base.audit import prune


class Command(BaseCommand):
    help = "Remove audit records past their keeping time (AUDIT_KEEP_DAYS, at least 180)."

    def handle(self, *args, **options):
        self.stdout.write(f"Removed {prune()} audit records.")
