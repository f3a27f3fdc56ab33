"""Imports of the rosters a county keeps: a 浏阳-sized set from an empty database, again
without change, out and back in without change; every bad file reported by row and
column in Chinese and nothing written; CSV as county offices save it; a new term."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from liaison.base.models import CommitteeMembership, ImportRecord, Region
from liaison.wiring.imports import workbooks
from liaison.wiring.imports.rosters import ROSTERS
from representatives.models import Representative, RepresentativeGroup
from stations.models import Station, StationMembership, StationStaff
from suggestions.models import HandlingUnit, UnitStaff
from tests import liuyang_rosters as liuyang
from tests.factories import UserFactory
from tests.import_helpers import errors_of, load, preview

pytestmark = pytest.mark.django_db

ORDER = ["regions", "stations", "units", "representatives", "staff", "groups"]


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


def county_basics(folder):
    """Regions, stations and units of the stored 浏阳 set, imported."""
    for kind in ["regions", "stations", "units"]:
        load(kind, liuyang.stored()[kind])
    return liuyang.rows()


def test_liuyang_imports_from_empty_then_again_and_round_trip_change_nothing(tmp_path):
    files = liuyang.stored()
    admin = UserFactory(username="importer")
    for kind in ORDER:
        record = load(kind, files[kind], admin)
        assert record.created == record.rows
        assert record.actor == admin and record.sha256 and record.file
    assert Region.objects.count() == 70
    assert Station.objects.count() == 67
    assert HandlingUnit.objects.count() == 48
    by_level = {
        level: Representative.objects.filter(level=level).count()
        for level in ["national", "provincial", "city", "county", "township"]
    }
    assert by_level == {
        "national": 1,
        "provincial": 4,
        "city": 77,
        "county": 438,
        "township": 2104,
    }
    assert StationMembership.objects.filter(end_date__isnull=True).count() == 2624
    assert CommitteeMembership.objects.count() == 33
    assert StationStaff.objects.count() == 67 and UnitStaff.objects.count() == 48
    assert RepresentativeGroup.objects.count() == 33
    county = RepresentativeGroup.objects.get(name="驻浏阳上级人大代表小组")
    assert (county.kind, county.members.count(), county.liaison.username) == ("mixed", 82, "lgw")
    assert county.leader.number == "全国14-0001"
    assert Representative.objects.filter(groups__kind="level").count() == 2104

    for kind in ORDER:
        again = preview(kind, files[kind])
        assert (again.created, again.updated, again.errors) == (0, 0, [])
        assert again.unchanged == again.rows

    for kind in ORDER:
        importer = ROSTERS[kind]()
        exported = tmp_path / f"export-{kind}.xlsx"
        exported.write_bytes(workbooks.xlsx(importer, importer.export_rows()))
        back = preview(kind, exported)
        assert (back.created, back.updated, back.errors) == (0, 0, []), kind
        assert back.rows == again_rows(files[kind])


def again_rows(path):
    sheet = load_workbook(path, read_only=True).worksheets[0]
    return sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if any(row))


def test_a_changed_row_updates_by_its_natural_key(tmp_path):
    data = county_basics(tmp_path)
    data["stations"][0][1] = "淮川街道代表之家"
    data["stations"][0][2] = "代表之家"
    record = load("stations", liuyang.write("stations", data["stations"], tmp_path))
    assert (record.created, record.updated, record.unchanged) == (0, 1, 66)
    station = Station.objects.get(code="LY-001")
    assert (station.name, station.kind) == ("淮川街道代表之家", "home")
    assert Station.objects.count() == 67


def test_a_station_typed_in_before_gets_its_code(tmp_path):
    load("regions", liuyang.stored()["regions"])
    typed = Station.objects.create(
        name="淮川街道人大代表联络站", region_id="430181001000", address="旧址"
    )
    record = load("stations", liuyang.stored()["stations"])
    typed.refresh_from_db()
    assert (typed.code, typed.address) == ("LY-001", "浏阳市淮川街道便民服务中心")
    assert (record.created, record.updated) == (66, 1)


def header(kind):
    return [column.header for column in ROSTERS[kind].columns]


def test_wrong_columns_are_reported_and_change_nothing(tmp_path):
    path = liuyang.write("regions", [["430181000000", "浏阳市"]], tmp_path)
    book = load_workbook(path)
    book.active.delete_rows(1)
    book.active.insert_rows(1)
    book.active["A1"], book.active["B1"] = "区划代码", "名称"
    book.save(path)
    record = preview("regions", path)
    assert record.status == ImportRecord.Status.REFUSED
    messages = [message for _row, _column, message in record.errors]
    assert any("无法识别的列“区划代码”" in message for message in messages)
    assert any("缺少必填列“统计用区划代码”" in message for message in messages)
    assert Region.objects.count() == 0


def test_duplicate_code_and_missing_parent_are_listed_by_row_and_column(tmp_path):
    rows = [
        ["430000000000", "", "湖南省"],
        ["430100000000", "", "长沙市"],
        ["430181", "", "浏阳市"],
        ["430181000000", "", "浏阳市"],
        ["430182001000", "", "无县之镇"],
        ["4301810010", "", "短代码"],
    ]
    record = preview("regions", liuyang.write("regions", rows, tmp_path))
    assert record.status == ImportRecord.Status.REFUSED
    errors = errors_of(record)
    assert (5, "统计用区划代码", "代码 430181000000 与第 4 行重复。") in errors
    assert (
        6,
        "统计用区划代码",
        "上级区划 430182000000 既不在文件中，也不在数据库中。",
    ) in errors
    assert any(row == 7 and column == "统计用区划代码" for row, column, _m in errors)
    assert Region.objects.count() == 0


def rep_row(**changes):
    row = dict(
        zip(
            header("representatives"),
            [
                "县18-9001",
                "王新",
                "男",
                "县",
                18,
                "430181000000",
                "第1选区",
                "",
                "",
                "基层代表",
                "",
                "13900001111",
                "",
                "是",
                "LY-001",
                "2022-01-01",
                "",
            ],
            strict=True,
        )
    )
    row.update(changes)
    return list(row.values())


def test_a_level_that_does_not_fit_the_region_and_a_bad_phone_are_refused(tmp_path):
    county_basics(tmp_path)
    rows = [
        rep_row(**{"所属区划代码": "430181001000"}),
        rep_row(**{"代表编号": "县18-9002", "私人手机": "1234567"}),
        rep_row(**{"代表编号": "县18-9003", "公开电话": "电话号码"}),
    ]
    record = preview("representatives", liuyang.write("representatives", rows, tmp_path))
    errors = errors_of(record)
    assert (2, "所属区划代码", "县级人大代表应归属于县（市、区），而不是乡镇（街道）。") in errors
    assert (3, "私人手机", "请输入11位手机号，例如 13812345678。") in errors
    assert any(row == 4 and column == "公开电话" for row, column, _m in errors)
    assert Representative.objects.count() == 0


def test_an_overlapping_seat_is_refused_and_nothing_of_the_file_is_written(tmp_path):
    county_basics(tmp_path)
    load("representatives", liuyang.write("representatives", [rep_row()], tmp_path))
    rows = [
        rep_row(**{"代表编号": "县18-9002", "姓名": "李好"}),
        rep_row(**{"姓名": "王新改", "进站日期": "2023-03-01"}),
    ]
    record = preview("representatives", liuyang.write("representatives", rows, tmp_path))
    assert errors_of(record) == [(3, "进站日期", "与 2022-01-01 起在站点 LY-001 的进站记录重叠。")]
    assert Representative.objects.count() == 1
    assert Representative.objects.get().name == "王新"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("名册.xlsx", "这不是表格".encode(), "此文件不是 Excel 工作簿（.xlsx）"),
        ("名册.docx", b"PK\x03\x04", "请上传 Excel 文件（.xlsx）或 CSV 文件（.csv）。"),
        ("名册.xls", b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
        ("名册.csv", b"", "文件是空的。"),
        ("名册.xlsx", b"", "文件是空的。"),
        ("名册.csv", "统计用区划代码,名称\n".encode(), "文件只有表头"),
        ("名册.csv", b"\x00\x01\x02", "不是 CSV 文本文件"),
    ],
)
def test_a_file_that_is_no_roster_is_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    record = preview("regions", path)
    assert record.status == ImportRecord.Status.REFUSED
    assert any(message in error[2] for error in record.errors), record.errors
    assert Region.objects.count() == 0


def test_a_50_mb_file_is_refused_unread(tmp_path):
    path = tmp_path / "全省.xlsx"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    record = preview("regions", path)
    assert record.status == ImportRecord.Status.REFUSED
    assert record.errors == [[0, "", "文件大小为 50.0 MB，一次最多导入 20 MB。"]]
    assert not record.file


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_as_county_offices_save_it(tmp_path, encoding):
    data = liuyang.rows()
    record = load("regions", liuyang.write("regions", data["regions"], tmp_path, "csv", encoding))
    assert record.created == 70
    assert Region.objects.get(code="430181001000").name == "淮川街道"


def test_six_digit_county_codes_and_urban_rural_codes(tmp_path):
    rows = [
        ["430000", "", "湖南省"],
        ["430100", "", "长沙市"],
        ["430181", "", "浏阳市"],
        ["430181001000", "", "淮川街道"],
        ["430181001001", "111", "北正南路社区"],
    ]
    load("regions", liuyang.write("regions", rows, tmp_path))
    community = Region.objects.get(code="430181001001")
    assert (community.level, community.parent_id, community.urban_rural_code) == (
        "village",
        "430181001000",
        "111",
    )
    assert Region.objects.get(code="430181000000").parent_id == "430100000000"


def test_a_new_term_closes_the_old_seats_and_keeps_the_old_representatives(tmp_path):
    county_basics(tmp_path)
    load("representatives", liuyang.write("representatives", [rep_row()], tmp_path))
    new_term = [rep_row(**{"代表编号": "县19-0001", "届次": 19, "进站日期": "2027-01-10"})]
    record = load(
        "representatives",
        liuyang.write("representatives", new_term, tmp_path),
        close_term_on="2027-01-09",
    )
    assert record.created == 1
    assert record.options["notes"] == ["1 个往届进站记录于 2027-01-09 结束。"]
    old = Representative.objects.get(term=18)
    seat = old.station_memberships.get()
    assert seat.end_date == dt.date(2027, 1, 9)
    assert Representative.objects.get(term=19).station_memberships.get().end_date is None


def test_staff_get_their_roles_once(tmp_path):
    data = county_basics(tmp_path)
    staff = [*data["staff"][:3], ["ly001", "联络员甲", "", "站长", "LY-001", "", ""]]
    record = load("staff", liuyang.write("staff", staff, tmp_path))
    assert record.created == 4
    head = StationStaff.objects.get(user__username="ly001")
    assert head.role == "head" and not head.user.has_usable_password()
    again = preview("staff", liuyang.write("staff", staff, tmp_path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    bad = [
        ["ly002", "某人", "", "联络员", "LY-999", "", ""],
        ["dw1", "某", "", "承办单位", "430181000000", "无此局", ""],
    ]
    errors = errors_of(preview("staff", liuyang.write("staff", bad, tmp_path)))
    assert [(row, column) for row, column, _m in errors] == [(2, "范围代码"), (3, "单位名称")]


def test_roles_given_by_the_staff_file_are_in_the_audit_chain(tmp_path):
    from liaison.base.audit import AuditAction, AuditRecord, verify

    data = county_basics(tmp_path)
    admin = UserFactory(username="importer")
    staff = [["ly001", "联络员甲", "", "联络员", "LY-001", "", ""]]
    load("staff", liuyang.write("staff", staff, tmp_path), admin)
    promoted = [["ly001", "联络员甲", "", "站长", "LY-001", "", ""], *data["staff"][:1]]
    load("staff", liuyang.write("staff", promoted, tmp_path), admin)
    load("staff", liuyang.write("staff", promoted, tmp_path), admin)  # no change, no row

    rows = AuditRecord.objects.filter(action=AuditAction.ROLE_CHANGE).order_by("id")
    login, _name, _email, role, scope, unit, _title = data["staff"][0]
    first = [login, "import:", role, scope, unit]
    ly001 = StationStaff.objects.get(user__username="ly001").user_id
    assert [(r.username, r.object_type, r.object_id, r.detail) for r in rows] == [
        ("importer", "auth.user", str(ly001), "ly001 import: 联络员 LY-001"),
        ("importer", "auth.user", str(ly001), "ly001 import: 站长 LY-001"),
        ("importer", "auth.user", rows[2].object_id, " ".join(filter(None, first))),
    ]
    assert verify() == []


def test_the_command_checks_and_applies(tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = liuyang.write("regions", liuyang.rows()["regions"], tmp_path)
    call_command("import_roster", "regions", str(path))
    assert Region.objects.count() == 0
    call_command("import_roster", "regions", str(path), "--apply")
    assert Region.objects.count() == 70
    bad = liuyang.write("regions", [["430182001000", "", "无县之镇"]], tmp_path)
    with pytest.raises(CommandError):
        call_command("import_roster", "regions", str(bad), "--apply")
    assert "上级区划 430182000000" in capsys.readouterr().out
