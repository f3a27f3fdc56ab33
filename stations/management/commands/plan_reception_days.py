from django.core.management.base import BaseCommand, CommandError

from liaison.base.models import Region
from stations.models import ReceptionDay, Station
from stations.planning import reception_plan_generate
from stations.services import reception_days_publish


class Command(BaseCommand):
    help = (
        "Annual pre-arrangement: create a year of monthly reception days for a station or "
        "a region's subtree, put representatives on duty to meet their yearly targets, and "
        "list those below target. Existing days and duties are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--station", type=int, action="append", help="station id (repeat)")
        where.add_argument("--region", help="12-digit division code: every station below it")
        parser.add_argument(
            "--publish", action="store_true", help="publish the staffed future days afterwards"
        )

    def handle(self, *args, **options):
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"No region with code {options['region']}.")
            stations = Station.objects.in_region(region)
        else:
            stations = Station.objects.filter(pk__in=options["station"])
        report = reception_plan_generate(year=options["year"], stations=stations)
        self.stdout.write(
            f"{report.days_created} reception days created, "
            f"{report.duties_created} duties assigned."
        )
        if options["publish"]:
            days = ReceptionDay.objects.filter(station__in=stations, date__year=options["year"])
            self.stdout.write(f"{reception_days_publish(days=days, actor=None)} days published.")
        if report.below_target:
            self.stdout.write(f"\n{len(report.below_target)} representatives below target:")
            for short in report.below_target:
                self.stdout.write(
                    f"  {short.station.name}  {short.representative.name} "
                    f"({short.representative.get_level_display()}): "
                    f"{short.days}/{short.target}"
                )
        if report.unplaced:
            self.stdout.write(
                f"\n{len(report.unplaced)} days not fully staffed (representatives unavailable):"
            )
            for day in report.unplaced:
                self.stdout.write(
                    f"  {day.station.name}  {day.date:%Y-%m-%d}: {'、'.join(day.unavailable)}"
                )
