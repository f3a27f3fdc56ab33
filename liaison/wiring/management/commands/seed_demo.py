import contextlib
import io
import logging
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from figures import rollups
from liaison.base.scopes import scope_of
from liaison.base.totp import TwoFactorDevice
from liaison.wiring import demo
from liaison.wiring.demo.users import DEMO_LOGINS, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Create the demo county (长沙县 model) once and print one login per role."

    def handle(self, *args, **options):
        with _quiet(options["verbosity"] < 2):
            created, password = demo.seed(password=os.environ.get("DEMO_PASSWORD") or None)
        # The dashboards read the daily roll-ups: counted now rather than at the night sweep.
        rollups.rebuild()
        if created:
            self.stdout.write(self.style.SUCCESS("Demo county created."))
        else:
            self.stdout.write("Demo county already present: nothing created.")
        self.stdout.write("\nLogins (one per role):")
        self.stdout.write(f"  {'login':<16} {'roles':<16} {'2FA':<4} name")
        users = get_user_model().objects.filter(username__in=DEMO_LOGINS)
        demo_devices = set(
            TwoFactorDevice.objects.filter(
                user__in=users, secret=DEMO_TOTP_SECRET, confirmed_at__isnull=False
            ).values_list("user__username", flat=True)
        )
        for user in sorted(users, key=lambda u: DEMO_LOGINS.index(u.username)):
            roles = ", ".join(sorted(scope_of(user).roles)) or "-"
            second = "yes" if user.username in demo_devices else "-"
            self.stdout.write(f"  {user.username:<16} {roles:<16} {second:<4} {user.first_name}")
        if password:
            self.stdout.write(f"\nPassword for all of them: {password}")
        else:
            self.stdout.write("\nPasswords unchanged; run with DEMO_PASSWORD=... to set a new one.")
        if demo_devices:
            self.stdout.write(
                "\nLogins marked 2FA also ask for a code: add the demo secret "
                f"{DEMO_TOTP_SECRET} to an authenticator app,\n"
                "or print the current code with: python manage.py totp_code <login>"
            )


@contextlib.contextmanager
def _quiet(quiet: bool):
    """The notices the seeding sends (console SMS and email backends) stay off the screen,
    so that what ``make run`` shows is the logins; ``-v 2`` shows them."""
    if not quiet:
        yield
        return
    sms = logging.getLogger("liaison.base.notifications.sms")
    level = sms.level
    sms.setLevel(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        sms.setLevel(level)
