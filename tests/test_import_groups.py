"""Representative groups (代表小组) imported by region and name, their members named by
their number within the term: bad rows listed by row and column in Chinese with nothing
written, members the file cannot name kept, and an export that imports back unchanged."""

import pytest

from liaison.wiring.imports import workbooks
from liaison.wiring.imports.groups import GroupImporter
from representatives.models import Representative, RepresentativeGroup
from tests import liuyang_rosters as liuyang
from tests.factories import UserFactory
from tests.import_helpers import errors_of, load, preview

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def county():
    for kind in ["regions", "stations", "representatives"]:
        load(kind, liuyang.stored()[kind])
    UserFactory(username="lgw")


def group_row(**changes):
    row = {
        "region": "430181000000",
        "name": "城区代表小组",
        "kind": "混合编组",
        "level": "",
        "industry": "",
        "leader": "县18-0001",
        "liaison": "lgw",
        "members": "县18-0001、县18-0002；市16-0001",
    }
    row.update(changes)
    return list(row.values())


def test_a_group_imports_updates_by_region_and_name_and_keeps_unnumbered_members(county, tmp_path):
    record = load("groups", liuyang.write("groups", [group_row()], tmp_path))
    assert record.created == 1
    group = RepresentativeGroup.objects.get()
    assert sorted(group.members.values_list("number", flat=True)) == [
        "县18-0001",
        "县18-0002",
        "市16-0001",
    ]
    assert (group.kind, group.leader.number, group.liaison.username) == (
        "mixed",
        "县18-0001",
        "lgw",
    )
    typed = Representative.objects.create(
        name="手录代表",
        level="county",
        term=18,
        region_id="430181000000",
        electoral_district="第9选区",
    )
    group.members.add(typed)

    changed = group_row(kind="行业", industry="花炮", members="县18-0002")
    record = load("groups", liuyang.write("groups", [changed], tmp_path))
    assert (record.created, record.updated) == (0, 1)
    group.refresh_from_db()
    assert (group.kind, group.industry) == ("industry", "花炮")
    assert sorted(group.members.values_list("name", flat=True)) == sorted(
        ["手录代表", Representative.objects.get(number="县18-0002").name]
    )
    again = preview("groups", liuyang.write("groups", [changed], tmp_path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)

    exported = tmp_path / "export.xlsx"
    importer = GroupImporter()
    exported.write_bytes(workbooks.xlsx(importer, importer.export_rows()))
    back = preview("groups", exported)
    assert (back.created, back.updated, back.unchanged, back.errors) == (0, 0, 1, [])


def test_bad_group_rows_are_listed_and_nothing_is_written(county, tmp_path):
    rows = [
        group_row(),
        group_row(name="同级小组", kind="同级编组"),
        group_row(name="未知成员", members="县18-9999"),
        group_row(name="无此联络员", liaison="nobody"),
        group_row(name="错误编组", kind="按片区"),
        group_row(),
    ]
    record = preview("groups", liuyang.write("groups", rows, tmp_path))
    assert sorted(errors_of(record)) == [
        (3, "层级", "同级代表小组须注明代表层级。"),
        (4, "成员代表编号", "没有编号为 县18-9999 的代表：请先导入代表。"),
        (5, "联络员用户名", "没有用户名为 nobody 的用户：请先导入工作人员。"),
        (6, "编组方式", "请填写以下之一：同级编组、混合编组、行业编组。"),
        (7, "小组名称", "第 2 行已有本区划内同名的小组。"),
    ]
    assert RepresentativeGroup.objects.count() == 0


def test_a_number_carried_twice_names_the_one_of_the_groups_region_or_is_refused(county, tmp_path):
    # The same number in two townships' congresses.
    first = Representative.objects.get(number="乡镇18-0001")
    other = Representative.objects.get(number="乡镇18-0002")
    other.number = "乡镇18-0001"
    other.save()
    assert first.region_id != other.region_id
    rows = [
        group_row(
            region=first.region_id,
            name="甲镇小组",
            kind="同级",
            level="乡镇",
            leader="",
            members="乡镇18-0001",
        ),
        group_row(name="全县小组", leader="", members="乡镇18-0001"),
    ]
    record = preview("groups", liuyang.write("groups", rows, tmp_path))
    assert errors_of(record) == [
        (3, "成员代表编号", "有多名代表的编号为 乡镇18-0001：请为他们各编一个号。")
    ]
    record = load("groups", liuyang.write("groups", rows[:1], tmp_path))
    assert list(RepresentativeGroup.objects.get().members.all()) == [first]
