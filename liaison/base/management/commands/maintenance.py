"""Turn the maintenance switch on or off without a restart (``MAINTENANCE_FILE``)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from liaison.base.errors import maintenance_on


class Command(BaseCommand):
    help = "Maintenance switch: on (every page answers the 503 page), off, or status."

    def add_arguments(self, parser):
        parser.add_argument("state", choices=["on", "off", "status"])

    def handle(self, *args, state: str, **options):
        path = settings.MAINTENANCE_FILE
        if state == "on":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        elif state == "off":
            path.unlink(missing_ok=True)
            if settings.MAINTENANCE_MODE:
                self.stderr.write("MAINTENANCE_MODE=1 is set in the environment: still on.")
        self.stdout.write(f"maintenance: {'on' if maintenance_on() else 'off'} ({path})")
