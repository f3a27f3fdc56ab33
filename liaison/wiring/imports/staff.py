"""Staff logins with their roles and scopes, one role a row: 联工委 of a region, 站长 or
联络员 of a station, 承办单位 staff of a unit, 管理员. A user on several rows holds every
role listed; roles not in the file are left as they are. New logins get no password: the
administrator sets one (admin, "change password") or the user resets it."""

from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base.models import CommitteeMembership
from liaison.wiring.imports import engine
from liaison.wiring.imports.engine import Column, Importer, Plan
from stations.models import Station, StationStaff
from suggestions.models import HandlingUnit, UnitStaff

User = get_user_model()
ROLES = {
    "联工委": "committee",
    "站长": "head",
    "联络员": "liaison",
    "承办单位": "unit",
    "管理员": "admin",
}
ROLE_LABELS = {value: label for label, value in ROLES.items()}


def username(value: str) -> str:
    value = engine.text(value, max_length=150)
    UnicodeUsernameValidator()(value)
    return value


class StaffImporter(Importer):
    kind = "staff"
    title = gettext_lazy("Staff and their roles")
    columns = (
        Column("username", "用户名", required=True, note="登录名：字母、数字和 @.+-_"),
        Column("name", "姓名", required=True),
        Column("email", "电子邮箱"),
        Column("role", "角色", required=True, note="、".join(ROLES)),
        Column(
            "scope",
            "范围代码",
            note="联工委、承办单位：区划代码；站长、联络员：站点编号；管理员：空",
        ),
        Column("unit", "单位名称", note="承办单位的名称"),
        Column("title", "职务", note="联工委的职务，如 联工委主任"),
    )

    def __init__(self, **options):
        super().__init__(**options)
        self.people: dict[str, tuple[int, str, str]] = {}
        self.roles: list[tuple[int, str, str, str, str, str]] = []
        self.seen_roles: dict[tuple, int] = {}
        self.users_to_create: list = []
        self.users_to_update: list = []
        self.committee: list[tuple[str, str, str]] = []
        self.committee_titles: list[CommitteeMembership] = []
        self.station_staff: list[tuple[str, int, str]] = []
        self.station_roles: list[StationStaff] = []
        self.unit_staff: list[tuple[str, int]] = []
        # (login, what changed): each one goes to the audit chain as a role change.
        self.role_changes: list[tuple[str, str]] = []

    def read_row(self, number: int, record: dict, plan: Plan) -> None:
        errors = len(plan.errors)
        login = self.cell(plan, number, record, "username", username)
        name = self.cell(plan, number, record, "name", engine.text, max_length=150)
        email = self.cell(plan, number, record, "email", engine.text, max_length=254, empty="")
        role = self.cell(plan, number, record, "role", engine.choice, labels=ROLES)
        scope = self.cell(plan, number, record, "scope", engine.text, max_length=30, empty="")
        unit = self.cell(plan, number, record, "unit", engine.text, empty="")
        title = self.cell(plan, number, record, "title", engine.text, max_length=50, empty="")
        if len(plan.errors) > errors:
            return
        if email:
            user = User(username=login, email=email)
            if not self.model_errors(
                plan,
                number,
                user,
                {"email": self.header("email")},
                full=False,
                exclude=["password", "username"],
            ):
                return
        if role != "admin" and not scope:
            plan.error(
                number,
                self.header("scope"),
                _("Give the region code or station code this role covers."),
            )
            return
        if role in {"committee", "unit"}:
            try:
                scope = engine.division_code(scope)
            except ValidationError as error:
                for message in engine.messages_of(error):
                    plan.error(number, self.header("scope"), message)
                return
        if role == "unit" and not unit:
            plan.error(number, self.header("unit"), _("Give the name of the handling unit."))
            return
        first = self.people.get(login)
        if first and (first[1], first[2]) != (name, email):
            plan.error(
                number,
                self.header("name"),
                _("Row %(row)s gives this login another name or email.") % {"row": first[0]},
            )
            return
        self.people.setdefault(login, (number, name, email))
        key = (login, role, scope, unit)
        if key in self.seen_roles:
            plan.error(
                number,
                self.header("role"),
                _("Row %(row)s gives the same role.") % {"row": self.seen_roles[key]},
            )
            return
        self.seen_roles[key] = number
        self.roles.append((number, login, role, scope, unit, title))

    def resolve(self, plan: Plan) -> None:
        users = {
            user.username: user
            for chunk in engine.chunks(sorted(self.people))
            for user in User.objects.filter(username__in=chunk)
        }
        regions = engine.existing_regions(
            {scope for _n, _l, role, scope, _u, _t in self.roles if role in {"committee", "unit"}}
        )
        stations = dict(
            Station.objects.filter(
                code__in={
                    scope
                    for _n, _l, role, scope, _u, _t in self.roles
                    if role in {"head", "liaison"}
                }
            ).values_list("code", "id")
        )
        units = {
            (region, name): pk
            for region, name, pk in HandlingUnit.objects.filter(region_id__in=regions).values_list(
                "region_id", "name", "id"
            )
        }
        held = defaultdict(dict)
        ids = [user.pk for user in users.values()]
        for row in CommitteeMembership.objects.filter(user_id__in=ids):
            held[row.user_id][("committee", row.region_id, "")] = row
        for row in StationStaff.objects.filter(user_id__in=ids):
            held[row.user_id][("station", row.station_id, "")] = row
        for row in UnitStaff.objects.filter(user_id__in=ids):
            held[row.user_id][("unit", row.unit_id, "")] = row

        changed_users: set[str] = set()
        new_users: set[str] = set()
        for login, (_number, name, email) in self.people.items():
            user = users.get(login)
            if user is None:
                new_users.add(login)
                self.users_to_create.append(
                    User(username=login, first_name=name, email=email, password=make_password(None))
                )
            elif (user.first_name, user.email) != (name, email):
                user.first_name, user.email = name, email
                changed_users.add(login)
                self.users_to_update.append(user)
        admins = []
        row_action: dict[int, str] = {}
        for number, login, role, scope, unit, title in self.roles:
            user = users.get(login)
            mine = held[user.pk] if user else {}
            changed = False
            if role == "committee":
                if scope not in regions:
                    plan.error(
                        number,
                        self.header("scope"),
                        _("No region has code %(code)s: import the regions first.")
                        % {"code": scope},
                    )
                    continue
                row = mine.get(("committee", scope, ""))
                if row is None:
                    self.committee.append((login, scope, title))
                    changed = True
                elif row.title != title:
                    row.title = title
                    self.committee_titles.append(row)
                    changed = True
            elif role in {"head", "liaison"}:
                if scope not in stations:
                    plan.error(
                        number,
                        self.header("scope"),
                        _("No station has code %(codes)s: import the stations first.")
                        % {"codes": scope},
                    )
                    continue
                row = mine.get(("station", stations[scope], ""))
                if row is None:
                    self.station_staff.append((login, stations[scope], role))
                    changed = True
                elif row.role != role:
                    row.role = role
                    self.station_roles.append(row)
                    changed = True
            elif role == "unit":
                pk = units.get((scope, unit))
                if pk is None:
                    plan.error(
                        number,
                        self.header("unit"),
                        _(
                            "No handling unit of this name in region %(code)s: import the units first."
                        )
                        % {"code": scope},
                    )
                    continue
                if ("unit", pk, "") not in mine:
                    self.unit_staff.append((login, pk))
                    changed = True
            else:
                admins.append(login)
                changed = user is None or not (user.is_staff and user.is_superuser)
            if changed:
                what = " ".join(filter(None, ["import:", ROLE_LABELS[role], scope, unit]))
                self.role_changes.append((login, what))
            row_action[number] = (
                "created"
                if login in new_users
                else "updated"
                if changed or login in changed_users
                else "unchanged"
            )
        self.admins = admins
        for action in row_action.values():
            plan.count(action)

    def write(self) -> None:
        User.objects.bulk_create(self.users_to_create, batch_size=1000)
        User.objects.bulk_update(self.users_to_update, ["first_name", "email"], batch_size=1000)
        logins = set(self.people)
        ids = dict(User.objects.filter(username__in=logins).values_list("username", "id"))
        User.objects.filter(username__in=self.admins).update(is_staff=True, is_superuser=True)
        CommitteeMembership.objects.bulk_create(
            [
                CommitteeMembership(user_id=ids[login], region_id=region, title=title)
                for login, region, title in self.committee
            ]
        )
        CommitteeMembership.objects.bulk_update(self.committee_titles, ["title"])
        StationStaff.objects.bulk_create(
            [
                StationStaff(user_id=ids[login], station_id=station, role=role)
                for login, station, role in self.station_staff
            ]
        )
        StationStaff.objects.bulk_update(self.station_roles, ["role"])
        UnitStaff.objects.bulk_create(
            [UnitStaff(user_id=ids[login], unit_id=unit) for login, unit in self.unit_staff]
        )

    def audit_trail(self) -> list[tuple[str, str, str]]:
        logins = {login for login, _detail in self.role_changes}
        ids = dict(User.objects.filter(username__in=logins).values_list("username", "id"))
        return [
            ("auth.user", ids[login], f"{login} {detail}") for login, detail in self.role_changes
        ]

    def export_rows(self) -> Iterator[list]:
        for row in CommitteeMembership.objects.select_related("user").order_by(
            "region_id", "user__username"
        ):
            yield self._row(row.user, "committee", row.region_id, "", row.title)
        for row in (
            StationStaff.objects.select_related("user", "station")
            .exclude(station__code="")
            .order_by("station__code", "user__username")
        ):
            yield self._row(row.user, row.role, row.station.code, "", "")
        for row in UnitStaff.objects.select_related("user", "unit").order_by(
            "unit__region_id", "unit__name", "user__username"
        ):
            yield self._row(row.user, "unit", row.unit.region_id, row.unit.name, "")
        for user in User.objects.filter(is_superuser=True).order_by("username"):
            yield self._row(user, "admin", "", "", "")

    def _row(self, user, role, scope, unit, title) -> list:
        return [user.username, user.first_name, user.email, ROLE_LABELS[role], scope, unit, title]
