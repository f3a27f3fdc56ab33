"""The go-live checklist: what a county must have in place before its stations open —
the coming year's holidays, regions, stations, representatives (their groups and
photos), units, staff, rules, the year's reception plan generated and published, notices
and posters printable. Each item with its state, a figure and the page that completes it;
a dozen queries in all."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base.calendar import YearSource, year_source
from liaison.base.models import CommitteeMembership, JurisdictionSettings, Region
from liaison.base.regions import RegionLevel
from representatives.models import Representative, RepresentativeGroup
from stations.models import ReceptionDay, ReceptionStatus, Station, StationMembership
from suggestions.models import HandlingUnit


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    done: bool
    detail: str
    url: str


def coming_year(today: dt.date | None = None) -> int:
    """From October on, the year being prepared is the next one."""
    today = today or timezone.localdate()
    return today.year + 1 if today.month >= 10 else today.year


def checklist(year: int) -> list[Item]:
    imports = reverse("staff:imports")
    source = year_source(year)
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).count()
    stations = Station.objects.filter(active=True)
    station_count = stations.count()
    unstaffed = stations.filter(staff__isnull=True).count()
    seated = StationMembership.objects.current().values("representative_id").distinct().count()
    representatives = Representative.objects.count()
    with_photo = Representative.objects.exclude(photo="").count()
    groups = RepresentativeGroup.objects.count()
    units = HandlingUnit.objects.filter(active=True).count()
    unit_staffed = HandlingUnit.objects.filter(active=True, staff__isnull=False).distinct().count()
    committees = CommitteeMembership.objects.count()
    users = get_user_model().objects.filter(is_active=True).count()
    days = ReceptionDay.objects.filter(date__year=year)
    planned_stations = days.values("station_id").distinct().count()
    published = days.filter(status=ReceptionStatus.PUBLISHED)
    published_count = published.count()
    first_published = published.order_by("date", "station_id").first()
    rules = JurisdictionSettings.objects.count()
    return [
        Item(
            "calendar",
            _("Holidays of %(year)s") % {"year": year},
            source != YearSource.WEEKDAYS,
            _("From the official calendar package")
            if source == YearSource.PACKAGE
            else _("Entered by the administrators")
            if source == YearSource.TABLE
            else _("Not entered: deadlines would count Monday to Friday only"),
            reverse("admin:liaison_workdayadjustment_changelist"),
        ),
        Item(
            "regions",
            _("Regions"),
            townships > 0,
            _("%(count)s townships and streets") % {"count": townships},
            imports,
        ),
        Item(
            "stations",
            _("Stations"),
            station_count > 0,
            _("%(count)s active stations") % {"count": station_count},
            imports,
        ),
        Item(
            "representatives",
            _("Representatives"),
            representatives > 0 and seated > 0,
            _("%(count)s representatives, %(seated)s seated in a station")
            % {"count": representatives, "seated": seated},
            imports,
        ),
        Item(
            "groups",
            _("Representative groups"),
            groups > 0,
            _("%(count)s groups") % {"count": groups},
            imports,
        ),
        Item(
            "photos",
            _("Representatives' photos"),
            representatives > 0 and with_photo == representatives,
            _("%(photos)s of %(count)s representatives have a photo on their public page")
            % {"photos": with_photo, "count": representatives},
            imports,
        ),
        Item(
            "units",
            _("Handling units"),
            units > 0 and unit_staffed == units,
            _("%(count)s units, %(staffed)s with staff")
            % {"count": units, "staffed": unit_staffed},
            imports,
        ),
        Item(
            "users",
            _("Staff and their roles"),
            committees > 0 and station_count > 0 and unstaffed == 0,
            _(
                "%(users)s logins; %(committees)s committee roles; %(unstaffed)s stations without a liaison"
            )
            % {"users": users, "committees": committees, "unstaffed": unstaffed},
            imports,
        ),
        Item(
            "rules",
            _("Rules of the jurisdiction"),
            rules > 0,
            _("%(count)s regions with their own rules") % {"count": rules}
            if rules
            else _("None: the documents' defaults apply (notice 5 working days ahead, the 15th)"),
            reverse("admin:liaison_jurisdictionsettings_changelist"),
        ),
        Item(
            "plan",
            _("Reception plan of %(year)s generated") % {"year": year},
            station_count > 0 and planned_stations >= station_count,
            _("%(planned)s of %(count)s stations have days")
            % {"planned": planned_stations, "count": station_count},
            f"{reverse('staff:reception-plan')}?year={year}",
        ),
        Item(
            "published",
            _("Reception plan of %(year)s published") % {"year": year},
            published_count > 0,
            _("%(count)s days published") % {"count": published_count},
            f"{reverse('staff:reception-plan')}?year={year}",
        ),
        Item(
            "posters",
            _("Notices and QR posters printable"),
            first_published is not None,
            _("Each station's poster and each published day's notice print on A4"),
            reverse("station-poster", args=[first_published.station_id])
            if first_published
            else reverse("staff:reception-plan"),
        ),
    ]
