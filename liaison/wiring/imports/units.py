"""Handling units (承办单位) by region and name: kind, contact person and phone, active."""

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base.validators import normalize_phone
from liaison.wiring.imports import engine
from liaison.wiring.imports.engine import Column, Importer, Plan
from suggestions.models import HandlingUnit

KINDS = {"政府部门": "government", "法院": "court", "检察院": "procuratorate", "其他": "other"}
KIND_LABELS = {value: label for label, value in KINDS.items()}
FIELDS = ("kind", "contact_name", "contact_phone", "active")


class UnitImporter(Importer):
    kind = "units"
    title = gettext_lazy("Handling units")
    columns = (
        Column("region", "所属区划代码", required=True, note="单位所属的县（市、区）等区划代码"),
        Column("name", "单位名称", required=True, note="同一区划内唯一；再次导入按区划和名称更新"),
        Column("kind", "类型", note="、".join(KINDS) + "；空为政府部门"),
        Column("contact_name", "联系人"),
        Column("contact_phone", "联系电话", note="手机或座机，如 0731-83012345"),
        Column("active", "启用", note="是 / 否；空为是"),
    )

    def __init__(self, **options):
        super().__init__(**options)
        self.found: dict[tuple[str, str], tuple[int, HandlingUnit]] = {}
        self.to_create: list[HandlingUnit] = []
        self.to_update: list[HandlingUnit] = []

    def read_row(self, number: int, record: dict, plan: Plan) -> None:
        errors = len(plan.errors)
        unit = HandlingUnit(
            region_id=self.cell(plan, number, record, "region", engine.division_code),
            name=self.cell(plan, number, record, "name", engine.text) or "",
            kind=self.cell(
                plan, number, record, "kind", engine.choice, labels=KINDS, empty="government"
            ),
            contact_name=self.cell(
                plan, number, record, "contact_name", engine.text, max_length=50, empty=""
            ),
            contact_phone=normalize_phone(record.get("contact_phone", "")),
            active=self.cell(
                plan, number, record, "active", engine.boolean, default=True, empty=True
            ),
        )
        if len(plan.errors) > errors:
            return
        headers = {
            "name": self.header("name"),
            "contact_name": self.header("contact_name"),
            "contact_phone": self.header("contact_phone"),
        }
        if not self.model_errors(plan, number, unit, headers, exclude=["region"]):
            return
        key = (unit.region_id, unit.name)
        if key in self.found:
            plan.error(
                number,
                self.header("name"),
                _("Row %(row)s has a unit of this name in this region.")
                % {"row": self.found[key][0]},
            )
            return
        self.found[key] = (number, unit)

    def resolve(self, plan: Plan) -> None:
        codes = {region for region, _name in self.found}
        known = engine.existing_regions(codes)
        existing = {
            (unit.region_id, unit.name): unit
            for chunk in engine.chunks(sorted(known))
            for unit in HandlingUnit.objects.filter(region_id__in=chunk)
        }
        for key, (number, unit) in self.found.items():
            if unit.region_id not in known:
                plan.error(
                    number,
                    self.header("region"),
                    _("No region has code %(code)s: import the regions first.")
                    % {"code": unit.region_id},
                )
                continue
            current = existing.get(key)
            if current is None:
                self.to_create.append(unit)
                plan.count("created")
            elif any(getattr(current, name) != getattr(unit, name) for name in FIELDS):
                unit.pk = current.pk
                self.to_update.append(unit)
                plan.count("updated")
            else:
                plan.count("unchanged")

    def write(self) -> None:
        HandlingUnit.objects.bulk_create(self.to_create, batch_size=1000)
        HandlingUnit.objects.bulk_update(self.to_update, list(FIELDS), batch_size=1000)

    def export_rows(self) -> Iterator[list]:
        for unit in HandlingUnit.objects.order_by("region_id", "name").iterator(1000):
            yield [
                unit.region_id,
                unit.name,
                KIND_LABELS.get(unit.kind, unit.kind),
                unit.contact_name,
                unit.contact_phone,
                engine.yes_no(unit.active),
            ]
