"""Representatives of the five levels by their number within the term (代表编号), with
their station seats (dated). A new term's roster is a file of the new term: its people are
new rows (the old term's stay, with their history), and ``close_term_on`` ends the seats
still open of the earlier terms of the same congresses on that date."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base.validators import normalize_phone
from liaison.wiring.imports import engine
from liaison.wiring.imports.engine import Column, Importer, Plan
from representatives.models import Representative
from stations.models import Station, StationMembership

LEVELS = {"全国": "national", "省": "provincial", "市": "city", "县": "county", "乡镇": "township"}
LEVEL_LABELS = {value: label for label, value in LEVELS.items()}
KINDS = {"职务代表": "official", "基层代表": "grassroots"}
KIND_LABELS = {value: label for label, value in KINDS.items()}
GENDERS = {"男": "m", "女": "f"}
GENDER_LABELS = {value: label for label, value in GENDERS.items()}
FIELDS = (
    "name",
    "gender",
    "electoral_district",
    "work_unit",
    "position",
    "kind",
    "public_phone",
    "private_phone",
    "email",
    "published",
)
MODEL_COLUMNS = {
    "number": "number",
    "name": "name",
    "level": "level",
    "term": "term",
    "region": "region",
    "electoral_district": "district",
    "work_unit": "work_unit",
    "position": "position",
    "public_phone": "public_phone",
    "private_phone": "private_phone",
    "email": "email",
}


def level(value: str) -> str:
    """全国 / 省 / 市 / 县 / 乡镇, also as 县级, 县人大代表 or 乡镇人大代表."""
    value = value.strip().removesuffix("人大代表").removesuffix("代表").removesuffix("级")
    aliases = {"镇": "乡镇", "乡": "乡镇", "区": "县", "县（市、区）": "县", "市（州）": "市"}
    return engine.choice(aliases.get(value, value), labels=LEVELS)


class RepresentativeImporter(Importer):
    kind = "representatives"
    title = gettext_lazy("Representatives")
    columns = (
        Column(
            "number",
            "代表编号",
            required=True,
            note="本届内的编号；再次导入按层级、区划、届次和编号更新",
        ),
        Column("name", "姓名", required=True),
        Column("gender", "性别", note="男 / 女"),
        Column("level", "层级", required=True, note="、".join(LEVELS)),
        Column("term", "届次", required=True, note="如 18 或 第十八届写作 18"),
        Column(
            "region",
            "所属区划代码",
            required=True,
            note="代表所在人大的区划：乡镇代表填乡镇，县代表填县，市代表填市，全国和省代表填省",
        ),
        Column("district", "选区或选举单位", required=True),
        Column("work_unit", "工作单位"),
        Column("position", "职务"),
        Column("kind", "代表类型", note="、".join(KINDS) + "；空为基层代表"),
        Column("public_phone", "公开电话", note="公示用，手机或座机"),
        Column("private_phone", "私人手机", note="仅用于短信通知，不公开"),
        Column("email", "电子邮箱"),
        Column("published", "公开", note="是 / 否；空为是"),
        Column("stations", "进站站点编号", note="一个或多个站点编号，用、分隔"),
        Column("seat_start", "进站日期", note="如 2022-01-01；填了站点时必填"),
        Column("seat_end", "离站日期", note="可空"),
    )

    def __init__(self, *, close_term_on: dt.date | None = None, **options):
        super().__init__(**options)
        self.close_term_on = close_term_on
        self.found: dict[
            tuple, tuple[int, Representative, list[str], dt.date | None, dt.date | None]
        ] = {}
        self.to_create: list[Representative] = []
        self.to_update: list[Representative] = []
        self.seats_to_create: list[StationMembership] = []
        self.seats_to_update: list[StationMembership] = []

    def read_row(self, number: int, record: dict, plan: Plan) -> None:
        errors = len(plan.errors)
        cell = self.cell
        rep = Representative(
            number=cell(plan, number, record, "number", engine.text, max_length=30) or "",
            name=cell(plan, number, record, "name", engine.text, max_length=50) or "",
            gender=cell(plan, number, record, "gender", engine.choice, labels=GENDERS, empty=""),
            level=cell(plan, number, record, "level", level) or "",
            term=cell(plan, number, record, "term", engine.whole_number),
            region_id=cell(plan, number, record, "region", engine.division_code),
            electoral_district=cell(plan, number, record, "district", engine.text) or "",
            work_unit=cell(plan, number, record, "work_unit", engine.text, empty=""),
            position=cell(plan, number, record, "position", engine.text, empty=""),
            kind=cell(
                plan, number, record, "kind", engine.choice, labels=KINDS, empty="grassroots"
            ),
            public_phone=normalize_phone(record.get("public_phone", "")),
            private_phone=normalize_phone(record.get("private_phone", "")),
            email=cell(plan, number, record, "email", engine.text, max_length=254, empty=""),
            published=cell(
                plan, number, record, "published", engine.boolean, default=True, empty=True
            ),
        )
        stations = engine.code_list(record.get("stations", ""))
        start = cell(plan, number, record, "seat_start", engine.date)
        end = cell(plan, number, record, "seat_end", engine.date)
        if len(plan.errors) > errors:
            return
        if stations and start is None:
            plan.error(
                number,
                self.header("seat_start"),
                _("Give the date the representative takes the seat."),
            )
            return
        if start and end and end < start:
            plan.error(
                number, self.header("seat_end"), _("A membership cannot end before it starts.")
            )
            return
        headers = {field: self.header(key) for field, key in MODEL_COLUMNS.items()}
        if not self.model_errors(plan, number, rep, headers, exclude=["region", "user"]):
            return
        key = (rep.level, rep.region_id, rep.term, rep.number)
        if key in self.found:
            plan.error(
                number,
                self.header("number"),
                _("Row %(row)s has the same number in the same congress and term.")
                % {"row": self.found[key][0]},
            )
            return
        self.found[key] = (number, rep, stations, start, end)

    def resolve(self, plan: Plan) -> None:
        known = engine.existing_regions({key[1] for key in self.found})
        codes = {code for *_, stations, _s, _e in self.found.values() for code in stations}
        station_ids = {
            code: pk
            for chunk in engine.chunks(sorted(codes))
            for code, pk in Station.objects.filter(code__in=chunk).values_list("code", "id")
        }
        existing: dict[tuple, Representative] = {}
        for chunk in engine.chunks(sorted({key[3] for key in self.found})):
            for rep in Representative.objects.filter(number__in=chunk):
                existing[(rep.level, rep.region_id, rep.term, rep.number)] = rep
        seats: dict[int, list[StationMembership]] = defaultdict(list)
        for chunk in engine.chunks([rep.pk for rep in existing.values()]):
            for seat in StationMembership.objects.filter(representative_id__in=chunk):
                seats[seat.representative_id].append(seat)

        for key, (number, rep, stations, start, end) in self.found.items():
            if rep.region_id not in known:
                plan.error(
                    number,
                    self.header("region"),
                    _("No region has code %(code)s: import the regions first.")
                    % {"code": rep.region_id},
                )
                continue
            missing = [code for code in stations if code not in station_ids]
            if missing:
                plan.error(
                    number,
                    self.header("stations"),
                    _("No station has code %(codes)s: import the stations first.")
                    % {"codes": "、".join(missing)},
                )
                continue
            current = existing.get(key)
            held = seats[current.pk] if current else []
            new_seats, changed_seats, clash = self._seats(
                rep, held, stations, station_ids, start, end
            )
            if clash:
                plan.error(
                    number,
                    self.header("seat_start"),
                    _("Overlaps the seat in station %(station)s from %(start)s.")
                    % {"station": clash[0], "start": clash[1]},
                )
                continue
            if current is None:
                self.to_create.append(rep)
                action = "created"
            else:
                rep.pk, rep.user_id, rep.photo, rep.created_at = (
                    current.pk,
                    current.user_id,
                    current.photo,
                    current.created_at,
                )
                if any(getattr(current, name) != getattr(rep, name) for name in FIELDS):
                    rep.updated_at = timezone.now()
                    self.to_update.append(rep)
                    action = "updated"
                else:
                    action = "updated" if new_seats or changed_seats else "unchanged"
            for seat in new_seats:
                seat.representative = rep
            self.seats_to_create += new_seats
            self.seats_to_update += changed_seats
            plan.count(action)
        if self.close_term_on and plan.ok:
            self._close_earlier_terms(plan)

    def _seats(self, rep, held, stations, station_ids, start, end):
        """(seats to create, seats whose end date changes, the first overlapping seat)."""
        codes = {pk: code for code, pk in station_ids.items()}
        new, changed = [], []
        for code in stations:
            station_id = station_ids[code]
            same = [seat for seat in held if seat.station_id == station_id]
            match = next((seat for seat in same if seat.start_date == start), None)
            if match is not None:
                if match.end_date != end:
                    match.end_date = end
                    changed.append(match)
                continue
            for seat in same:
                if (end is None or seat.start_date <= end) and (
                    seat.end_date is None or seat.end_date >= start
                ):
                    return [], [], (codes.get(seat.station_id, code), seat.start_date.isoformat())
            new.append(StationMembership(station_id=station_id, start_date=start, end_date=end))
        return new, changed, None

    def _close_earlier_terms(self, plan: Plan) -> None:
        """The seats still open on the date of representatives of an earlier term of the
        congresses in the file end that day; the people and their history stay."""
        day = self.close_term_on
        newest: dict[tuple[str, str], int] = {}
        for level_, region, term, _number in self.found:
            newest[(level_, region)] = max(term, newest.get((level_, region), 0))
        closing = []
        for (level_, region), term in newest.items():
            closing += list(
                StationMembership.objects.filter(
                    representative__level=level_,
                    representative__region_id=region,
                    representative__term__lt=term,
                    start_date__lte=day,
                ).filter(end_date__isnull=True)
            )
        for seat in closing:
            seat.end_date = day
        self.seats_to_update += closing
        if closing:
            plan.notes.append(
                _("%(count)s seats of earlier terms end on %(date)s.")
                % {"count": len(closing), "date": day.isoformat()}
            )

    def write(self) -> None:
        Representative.objects.bulk_create(self.to_create, batch_size=1000)
        Representative.objects.bulk_update(self.to_update, [*FIELDS, "updated_at"], batch_size=1000)
        for seat in self.seats_to_create:
            seat.representative_id = seat.representative.pk
        StationMembership.objects.bulk_update(self.seats_to_update, ["end_date"], batch_size=1000)
        StationMembership.objects.bulk_create(self.seats_to_create, batch_size=1000)

    def export_rows(self) -> Iterator[list]:
        today = timezone.localdate()
        seats = Prefetch(
            "station_memberships",
            queryset=StationMembership.objects.current(today)
            .select_related("station")
            .order_by("start_date", "station__code"),
        )
        people = (
            Representative.objects.exclude(number="")
            .order_by("level", "region_id", "term", "number")
            .prefetch_related(seats)
        )
        for rep in people.iterator(1000):
            held = [seat for seat in rep.station_memberships.all() if seat.station.code]
            # One row holds one period: the earliest one of the seats held today.
            first = held[0] if held else None
            same = [
                s
                for s in held
                if first and (s.start_date, s.end_date) == (first.start_date, first.end_date)
            ]
            yield [
                rep.number,
                rep.name,
                GENDER_LABELS.get(rep.gender, ""),
                LEVEL_LABELS[rep.level],
                rep.term,
                rep.region_id,
                rep.electoral_district,
                rep.work_unit,
                rep.position,
                KIND_LABELS.get(rep.kind, rep.kind),
                rep.public_phone,
                rep.private_phone,
                rep.email,
                engine.yes_no(rep.published),
                "、".join(seat.station.code for seat in same),
                first.start_date.isoformat() if first else "",
                first.end_date.isoformat() if first and first.end_date else "",
            ]
