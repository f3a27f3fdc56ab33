"""Regions from the official division-code list (统计用区划代码) as published: code,
urban/rural code, name; 12-digit codes or 6-digit county codes; a county's, a city's or a
whole province's. The tree comes from the codes: each region's parent is the code one
level up, which must be in the file or already in the database."""

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base import regions
from liaison.base.models import Region
from liaison.base.regions import LEVEL_ORDER
from liaison.wiring.imports import engine
from liaison.wiring.imports.engine import Column, Importer, Plan


class RegionImporter(Importer):
    kind = "regions"
    title = gettext_lazy("Regions (division codes)")
    columns = (
        Column("code", "统计用区划代码", required=True, note="12 位，或 6 位县级代码"),
        Column("urban_rural", "城乡分类代码", note="3 位，如 111、220；可空"),
        Column("name", "名称", required=True),
    )

    def __init__(self, **options):
        super().__init__(**options)
        # code -> (row, name, urban/rural code): about 50 bytes a region, so a province's
        # 30,000 fit in a few MB.
        self.found: dict[str, tuple[int, str, str]] = {}
        self.to_create: list[Region] = []
        self.to_update: list[Region] = []

    def read_row(self, number: int, record: dict, plan: Plan) -> None:
        code = self.cell(plan, number, record, "code", engine.division_code)
        name = self.cell(plan, number, record, "name", engine.text, max_length=100)
        urban_rural = self.cell(plan, number, record, "urban_rural", _urban_rural, empty="")
        if code is None or name is None or urban_rural is None:
            return
        region = Region(
            code=code, name=name, level=regions.level_of(code), urban_rural_code=urban_rural
        )
        # Region.clean() looks the parent up row by row; resolve() does it in bulk.
        fields = {"code": "code", "name": "name", "urban_rural_code": "urban_rural"}
        headers = {name: self.header(key) for name, key in fields.items()}
        if not self.model_errors(plan, number, region, headers, exclude=["parent"], full=False):
            return
        if code in self.found:
            plan.error(
                number,
                self.header("code"),
                _("Code %(code)s is already on row %(row)s.")
                % {"code": code, "row": self.found[code][0]},
            )
            return
        self.found[code] = (number, name, urban_rural)

    def resolve(self, plan: Plan) -> None:
        codes = list(self.found)
        existing: dict[str, tuple[str, str]] = {}
        for chunk in engine.chunks(codes):
            existing.update(
                (code, (name, urban_rural))
                for code, name, urban_rural in Region.objects.filter(code__in=chunk).values_list(
                    "code", "name", "urban_rural_code"
                )
            )
        parents = {
            parent
            for code in codes
            if (parent := regions.parent_code(code)) and parent not in self.found
        }
        known_parents: set[str] = set()
        for chunk in engine.chunks(sorted(parents)):
            known_parents.update(
                Region.objects.filter(code__in=chunk).values_list("code", flat=True)
            )
        for code, (number, name, urban_rural) in self.found.items():
            parent = regions.parent_code(code)
            if parent and parent not in self.found and parent not in known_parents:
                plan.error(
                    number,
                    self.header("code"),
                    _("Its parent region %(parent)s is neither in the file nor in the database.")
                    % {"parent": parent},
                )
                continue
            region = Region(
                code=code,
                name=name,
                level=regions.level_of(code),
                parent_id=parent,
                urban_rural_code=urban_rural,
            )
            if code not in existing:
                self.to_create.append(region)
                plan.count("created")
            elif existing[code] != (name, urban_rural):
                self.to_update.append(region)
                plan.count("updated")
            else:
                plan.count("unchanged")

    def write(self) -> None:
        # Parents first: the foreign key to the parent is checked row by row on SQLite.
        order = {level: i for i, level in enumerate(LEVEL_ORDER)}
        self.to_create.sort(key=lambda region: (order[region.level], region.code))
        Region.objects.bulk_create(self.to_create, batch_size=2000)
        Region.objects.bulk_update(self.to_update, ["name", "urban_rural_code"], batch_size=2000)

    def export_rows(self) -> Iterator[list]:
        for code, urban_rural, name in (
            Region.objects.order_by("code")
            .values_list("code", "urban_rural_code", "name")
            .iterator(2000)
        ):
            yield [code, urban_rural, name]


def _urban_rural(value: str) -> str:
    value = value.strip()
    regions.validate_urban_rural(value)
    return value
