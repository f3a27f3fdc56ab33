"""The current two-factor code of a demo login, so that a tester or a script can sign in
to the demo without an authenticator app.

Only a device holding the demo's published secret answers: a real device's secret never
leaves the database, so this command is no way round anyone's second factor."""

from django.core.management.base import BaseCommand, CommandError

from liaison.base import totp
from liaison.base.totp import TwoFactorDevice
from liaison.wiring.demo.users import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo login (enrolled by seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = TwoFactorDevice.objects.filter(
            user__username=username, secret=DEMO_TOTP_SECRET, confirmed_at__isnull=False
        ).first()
        if device is None:
            raise CommandError(
                f"{username!r} has no two-factor device with the demo secret: only the demo "
                "logins that seed_demo enrolled have a code here."
            )
        code = totp.unused_code(device.secret, device.last_step)
        if code is None:
            raise CommandError(
                f"The codes of {username!r} for now were just used: try again in "
                f"{totp.STEP_SECONDS} seconds."
            )
        self.stdout.write(code)
