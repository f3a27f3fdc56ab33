"""Check the audit's hash chain: exit 1 naming every row that was edited, inserted or
removed out of order."""

from django.core.management.base import BaseCommand, CommandError

from liaison.base.audit import AuditRecord, verify


class Command(BaseCommand):
    help = "Verify the audit records' hash chain (tampering is reported and exits 1)."

    def handle(self, *args, **options):
        problems = verify()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The audit chain is broken at {len(problems)} place(s).")
        self.stdout.write(f"Audit chain intact: {AuditRecord.objects.count()} records.")
