import time

from django.core.management.base import BaseCommand

from liaison.celery import SWEEPS, app


class Command(BaseCommand):
    help = (
        "Run every periodic sweep of liaison/celery.py once, in this process; with "
        "--every N, again every N seconds. The embedded mode (no Redis, no beat) uses "
        "this to send notices; each sweep is safe to run any number of times."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every N seconds until stopped."
        )

    def handle(self, *args, **options):
        app.loader.import_default_modules()
        while True:
            for name, entry in SWEEPS.items():
                result = app.tasks[entry["task"]].apply(throw=True)
                if options["verbosity"]:
                    self.stdout.write(f"{name}: {result.result}")
            if not options["every"]:
                return
            try:
                time.sleep(options["every"])
            except KeyboardInterrupt:
                return
