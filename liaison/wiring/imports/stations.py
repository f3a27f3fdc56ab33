"""Stations by their county code (站点编号): name, kind, region, address, service centre,
opening notes, active. The region must already be there (import regions first)."""

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.wiring.imports import engine
from liaison.wiring.imports.engine import Column, Importer, Plan
from stations.models import Station

KINDS = {
    "联络站": "station",
    "代表工作室": "studio",
    "代表之家": "home",
    "联系群众工作站": "contact",
}
KIND_LABELS = {value: label for label, value in KINDS.items()}
FIELDS = ("name", "kind", "region_id", "address", "in_service_centre", "opening_notes", "active")


class StationImporter(Importer):
    kind = "stations"
    title = gettext_lazy("Stations")
    columns = (
        Column("code", "站点编号", required=True, note="本县自编，如 LY-001；再次导入按此更新"),
        Column("name", "站点名称", required=True),
        Column("kind", "类型", note="、".join(KINDS) + "；空为联络站"),
        Column(
            "region", "所在区划代码", required=True, note="乡镇（街道）或村（社区）的 12 位代码"
        ),
        Column("address", "地址", required=True),
        Column("in_service_centre", "设在便民服务中心", note="是 / 否"),
        Column("opening_notes", "开放时间及说明"),
        Column("active", "启用", note="是 / 否；空为是"),
    )

    def __init__(self, **options):
        super().__init__(**options)
        self.found: dict[str, tuple[int, Station]] = {}
        self.to_create: list[Station] = []
        self.to_update: list[Station] = []

    def read_row(self, number: int, record: dict, plan: Plan) -> None:
        errors = len(plan.errors)
        code = self.cell(plan, number, record, "code", engine.text, max_length=30)
        station = Station(
            code=code or "",
            name=self.cell(plan, number, record, "name", engine.text) or "",
            kind=self.cell(
                plan, number, record, "kind", engine.choice, labels=KINDS, empty="station"
            ),
            region_id=self.cell(plan, number, record, "region", engine.division_code),
            address=self.cell(plan, number, record, "address", engine.text, max_length=200) or "",
            in_service_centre=self.cell(
                plan,
                number,
                record,
                "in_service_centre",
                engine.boolean,
                default=False,
                empty=False,
            ),
            opening_notes=self.cell(
                plan, number, record, "opening_notes", engine.text, max_length=2000, empty=""
            ),
            active=self.cell(
                plan, number, record, "active", engine.boolean, default=True, empty=True
            ),
        )
        if len(plan.errors) > errors:
            return
        headers = {
            "code": self.header("code"),
            "name": self.header("name"),
            "address": self.header("address"),
            "opening_notes": self.header("opening_notes"),
        }
        if not self.model_errors(plan, number, station, headers, exclude=["region"]):
            return
        if code in self.found:
            plan.error(
                number,
                self.header("code"),
                _("Code %(code)s is already on row %(row)s.")
                % {"code": code, "row": self.found[code][0]},
            )
            return
        self.found[code] = (number, station)

    def resolve(self, plan: Plan) -> None:
        stations = dict(self.found.items())
        known = engine.existing_regions({station.region_id for _, station in stations.values()})
        existing = {
            station.code: station
            for chunk in engine.chunks(list(stations))
            for station in Station.objects.filter(code__in=chunk)
        }
        # (region, name) is unique: a station of another code is a clash, a station without
        # a code (typed in the admin before) is the one this row names, and gets the code.
        by_place: dict[tuple[str, str], Station] = {}
        for chunk in engine.chunks(sorted(known)):
            by_place.update(
                ((station.region_id, station.name), station)
                for station in Station.objects.filter(region_id__in=chunk)
            )
        in_file: dict[tuple[str, str], int] = {}
        for code, (number, station) in stations.items():
            place = (station.region_id, station.name)
            if station.region_id not in known:
                plan.error(
                    number,
                    self.header("region"),
                    _("No region has code %(code)s: import the regions first.")
                    % {"code": station.region_id},
                )
                continue
            if not _sits_low_enough(station.region_id):
                plan.error(
                    number,
                    self.header("region"),
                    _("A station sits in a township/street or a village/community."),
                )
                continue
            if place in in_file:
                plan.error(
                    number,
                    self.header("name"),
                    _("Row %(row)s has a station of this name in this region.")
                    % {"row": in_file[place]},
                )
                continue
            in_file[place] = number
            other = by_place.get(place)
            if other is not None and other.code and other.code != code:
                plan.error(
                    number,
                    self.header("name"),
                    _("Station %(code)s already has this name in this region.")
                    % {"code": other.code},
                )
                continue
            current = existing.get(code) or (
                other if other is not None and not other.code else None
            )
            if current is None:
                self.to_create.append(station)
                plan.count("created")
            elif current.code != code or any(
                getattr(current, name) != getattr(station, name) for name in FIELDS
            ):
                station.pk = current.pk
                station.created_at = current.created_at
                self.to_update.append(station)
                plan.count("updated")
            else:
                plan.count("unchanged")

    def write(self) -> None:
        Station.objects.bulk_create(self.to_create, batch_size=1000)
        Station.objects.bulk_update(self.to_update, ["code", *FIELDS], batch_size=1000)

    def export_rows(self) -> Iterator[list]:
        for station in Station.objects.exclude(code="").order_by("code").iterator(1000):
            yield [
                station.code,
                station.name,
                KIND_LABELS.get(station.kind, station.kind),
                station.region_id,
                station.address,
                engine.yes_no(station.in_service_centre),
                station.opening_notes,
                engine.yes_no(station.active),
            ]


def _sits_low_enough(code: str) -> bool:
    from liaison.base import regions
    from liaison.base.regions import RegionLevel

    return regions.level_of(code) in {RegionLevel.TOWNSHIP, RegionLevel.VILLAGE}
