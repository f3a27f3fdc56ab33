import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from liaison.base.models import Region
from liaison.wiring import recompute


class Command(BaseCommand):
    help = (
        "Count again the stored dates that follow the working-day calendar and the rules: "
        "the notice dates of reception days not yet noticed and the sweep dates of open "
        "cases and suggestions. Saving a holiday or a jurisdiction's rules does this by itself; use this "
        "after a bulk change that bypassed it. Without options: everything. With --date, "
        "the planned reception days on those days also move to the planner's date (a "
        "published one on a new day off is flagged to its liaisons). Deadlines are never "
        "moved, and running it again changes nothing."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--date",
            action="append",
            type=dt.date.fromisoformat,
            help="a day whose working-day status changed, YYYY-MM-DD (repeat)",
        )
        where.add_argument("--region", help="12-digit division code: its subtree")
        parser.add_argument(
            "--previous-lead",
            type=int,
            help="with --region: the notice lead the region's rules gave before; the "
            "unsent days still carrying it take the lead now in force",
        )

    def handle(self, *args, **options):
        if options["previous_lead"] is not None and not options["region"]:
            raise CommandError("--previous-lead needs --region.")
        if options["date"]:
            report = recompute.derived_dates_refresh_around(days=options["date"])
        elif options["region"]:
            if not Region.objects.filter(code=options["region"]).exists():
                raise CommandError(f"No region with code {options['region']}.")
            report = recompute.derived_dates_refresh_for_region(
                region_code=options["region"], previous_lead=options["previous_lead"]
            )
        else:
            report = recompute.derived_dates_refresh_all()
        self.stdout.write(f"Changed: {report}.")
