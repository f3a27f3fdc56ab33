"""Representative groups (代表小组) by region and name: kind (同级、混合、行业编组), level or
industry, leader, liaison (a staff login) and members. Representatives are named by their
number within the term; the file's members are the group's members, except those with no
number (typed in by hand), which the file cannot name and which stay."""

from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base import regions
from liaison.wiring.imports import engine
from liaison.wiring.imports.engine import Column, Importer, Plan
from liaison.wiring.imports.representatives import LEVEL_LABELS, LEVELS, level
from representatives.models import Representative, RepresentativeGroup

KINDS = {"同级编组": "level", "混合编组": "mixed", "行业编组": "industry"}
KIND_ALIASES = {"同级": "同级编组", "混合": "混合编组", "行业": "行业编组"}
KIND_LABELS = {value: label for label, value in KINDS.items()}
FIELDS = ("kind", "level", "industry", "leader_id", "liaison_id")
Member = RepresentativeGroup.members.through


def group_kind(value: str) -> str:
    value = value.strip()
    return engine.choice(KIND_ALIASES.get(value, value), labels=KINDS)


class GroupImporter(Importer):
    kind = "groups"
    title = gettext_lazy("Representative groups")
    columns = (
        Column("region", "所属区划代码", required=True, note="小组所属的县、乡镇等区划代码"),
        Column("name", "小组名称", required=True, note="同一区划内唯一；再次导入按区划和名称更新"),
        Column("kind", "编组方式", required=True, note="、".join(KINDS)),
        Column("level", "层级", note="同级编组必填：" + "、".join(LEVELS)),
        Column("industry", "行业", note="行业编组必填"),
        Column("leader", "组长代表编号", note="组长的代表编号"),
        Column("liaison", "联络员用户名", note="负责联络的工作人员的用户名（先导入工作人员）"),
        Column(
            "members",
            "成员代表编号",
            note="成员的代表编号，用、分隔；文件列出的即为全部成员（无编号的代表保持不变）",
        ),
    )

    def __init__(self, **options):
        super().__init__(**options)
        self.found: dict[tuple[str, str], tuple[int, RepresentativeGroup, str, str, list[str]]] = {}
        self.to_create: list[RepresentativeGroup] = []
        self.to_update: list[RepresentativeGroup] = []
        self.members: dict[int, tuple[RepresentativeGroup, set[int]]] = {}

    def read_row(self, number: int, record: dict, plan: Plan) -> None:
        errors = len(plan.errors)
        cell = self.cell
        group = RepresentativeGroup(
            region_id=cell(plan, number, record, "region", engine.division_code),
            name=cell(plan, number, record, "name", engine.text) or "",
            kind=cell(plan, number, record, "kind", group_kind) or "",
            level=cell(plan, number, record, "level", level, empty=""),
            industry=cell(plan, number, record, "industry", engine.text, max_length=50, empty=""),
        )
        leader = cell(plan, number, record, "leader", engine.text, max_length=30, empty="")
        liaison = cell(plan, number, record, "liaison", engine.text, max_length=150, empty="")
        members = engine.code_list(record.get("members", ""))
        if len(plan.errors) > errors:
            return
        if group.kind == "level" and not group.level:
            plan.error(
                number, self.header("level"), _("A group of one level must say which level.")
            )
            return
        if group.kind == "industry" and not group.industry:
            plan.error(
                number, self.header("industry"), _("An industry group must name its industry.")
            )
            return
        if group.kind != "level":
            group.level = ""
        if group.kind != "industry":
            group.industry = ""
        headers = {"name": self.header("name"), "industry": self.header("industry")}
        if not self.model_errors(
            plan, number, group, headers, exclude=["region", "leader", "liaison"]
        ):
            return
        key = (group.region_id, group.name)
        if key in self.found:
            plan.error(
                number,
                self.header("name"),
                _("Row %(row)s has a group of this name in this region.")
                % {"row": self.found[key][0]},
            )
            return
        self.found[key] = (number, group, leader, liaison, members)

    def _people(self, numbers: set[str]) -> dict[str, list[tuple[str, int, int]]]:
        """Number → [(region, term, id)] of the representatives that carry it."""
        people: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for chunk in engine.chunks(sorted(numbers)):
            for number, region, term, pk in Representative.objects.filter(
                number__in=chunk
            ).values_list("number", "region_id", "term", "id"):
                people[number].append((region, term, pk))
        return people

    @staticmethod
    def _one(candidates: list[tuple[str, int, int]], region: str) -> int | None:
        """The representative a number names for a group of ``region``: the only one, or
        the one of the group's region (its subtree or the congresses above it) of the
        latest term; None when that still leaves several."""
        if len(candidates) > 1:
            low, high = regions.subtree_bounds(region)
            above = set(regions.ancestor_codes(region))
            near = [c for c in candidates if low <= c[0] <= high or c[0] in above]
            candidates = near or candidates
        if len(candidates) > 1:
            latest = max(term for _region, term, _pk in candidates)
            candidates = [c for c in candidates if c[1] == latest]
        return candidates[0][2] if len(candidates) == 1 else None

    def resolve(self, plan: Plan) -> None:
        known = engine.existing_regions({region for region, _name in self.found})
        numbers = {
            code
            for _n, _g, leader, _l, members in self.found.values()
            for code in [leader, *members]
            if code
        }
        people = self._people(numbers)
        logins = {liaison for *_rest, liaison, _members in self.found.values() if liaison}
        User = get_user_model()
        user_ids = {
            name: pk
            for chunk in engine.chunks(sorted(logins))
            for name, pk in User.objects.filter(username__in=chunk).values_list("username", "id")
        }
        existing: dict[tuple[str, str], list[RepresentativeGroup]] = defaultdict(list)
        for chunk in engine.chunks(sorted(known)):
            for group in (
                RepresentativeGroup.objects.filter(region_id__in=chunk)
                .select_related("leader")
                .prefetch_related(
                    Prefetch("members", queryset=Representative.objects.only("id", "number"))
                )
            ):
                existing[(group.region_id, group.name)].append(group)

        for key, (number, group, leader, liaison, codes) in self.found.items():
            if group.region_id not in known:
                plan.error(
                    number,
                    self.header("region"),
                    _("No region has code %(code)s: import the regions first.")
                    % {"code": group.region_id},
                )
                continue
            failed = False
            member_ids: set[int] = set()
            for column, code in [("leader", leader)] + [("members", code) for code in codes]:
                if not code:
                    continue
                pk = self._one(people.get(code, []), group.region_id)
                if pk is None:
                    failed = True
                    plan.error(
                        number,
                        self.header(column),
                        _(
                            "Several representatives have number %(number)s: give them "
                            "numbers of their own."
                        )
                        % {"number": code}
                        if people.get(code)
                        else _("No representative has number %(number)s: import them first.")
                        % {"number": code},
                    )
                elif column == "leader":
                    group.leader_id = pk
                else:
                    member_ids.add(pk)
            if liaison:
                group.liaison_id = user_ids.get(liaison)
                if group.liaison_id is None:
                    failed = True
                    plan.error(
                        number,
                        self.header("liaison"),
                        _("No user is called %(username)s: import the staff first.")
                        % {"username": liaison},
                    )
            same = existing.get(key, [])
            if len(same) > 1:
                failed = True
                plan.error(
                    number,
                    self.header("name"),
                    _("Several groups of this region have this name: rename them in the admin."),
                )
            if failed:
                continue
            current = same[0] if same else None
            if current is None:
                self.to_create.append(group)
                self.members[id(group)] = (group, member_ids)
                plan.count("created")
                continue
            group.pk = current.pk
            if not leader and current.leader and not current.leader.number:
                # A leader the file cannot name (no number) stays.
                group.leader_id = current.leader_id
            held = {rep.pk for rep in current.members.all()}
            # Members the file cannot name (no number) stay.
            member_ids |= {rep.pk for rep in current.members.all() if not rep.number}
            changed = any(getattr(current, name) != getattr(group, name) for name in FIELDS)
            if changed:
                self.to_update.append(group)
            if held != member_ids:
                self.members[id(group)] = (group, member_ids)
            plan.count("updated" if changed or held != member_ids else "unchanged")

    def write(self) -> None:
        RepresentativeGroup.objects.bulk_create(self.to_create, batch_size=1000)
        RepresentativeGroup.objects.bulk_update(self.to_update, list(FIELDS), batch_size=1000)
        group_ids = [group.pk for group, _ids in self.members.values()]
        for chunk in engine.chunks(group_ids):
            Member.objects.filter(representativegroup_id__in=chunk).delete()
        Member.objects.bulk_create(
            [
                Member(representativegroup_id=group.pk, representative_id=pk)
                for group, ids in self.members.values()
                for pk in sorted(ids)
            ],
            batch_size=2000,
        )

    def export_rows(self) -> Iterator[list]:
        # A number carried by several representatives is written all the same: the import
        # picks the one of the group's region and latest term, as a person would.
        groups = (
            RepresentativeGroup.objects.select_related("leader", "liaison")
            .prefetch_related(
                Prefetch(
                    "members",
                    queryset=Representative.objects.exclude(number="")
                    .only("id", "number")
                    .order_by("number"),
                )
            )
            .order_by("region_id", "name")
        )
        for group in groups.iterator(500):
            yield [
                group.region_id,
                group.name,
                KIND_LABELS.get(group.kind, group.kind),
                LEVEL_LABELS.get(group.level, ""),
                group.industry,
                group.leader.number if group.leader else "",
                group.liaison.username if group.liaison else "",
                "、".join(rep.number for rep in group.members.all()),
            ]
