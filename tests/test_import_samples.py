"""The stored 浏阳-sized sample files are what the generator writes, in the templates'
columns: a change to either shows up here rather than as a puzzling import failure."""

import pytest
from openpyxl import load_workbook

from liaison.wiring.imports.reading import cell_text
from liaison.wiring.imports.rosters import ROSTERS
from tests import liuyang_rosters as liuyang


@pytest.mark.parametrize("kind", list(liuyang.rows()))
def test_the_stored_file_holds_the_generators_rows_under_the_templates_header(kind):
    path = liuyang.stored()[kind]
    workbook = load_workbook(path, read_only=True)
    try:
        header = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True))
    finally:
        workbook.close()
    assert list(header) == [column.header for column in ROSTERS[kind].columns]
    generated = [[cell_text(value) for value in row] for row in liuyang.rows()[kind]]
    assert liuyang.rows_in(path) == generated


def test_the_stored_set_is_small_and_shaped_like_liuyang():
    files = liuyang.stored()
    assert sum(path.stat().st_size for path in files.values()) < 2 * 1024 * 1024
    people = liuyang.rows_in(files["representatives"])
    levels = [row[3] for row in people]
    assert {level: levels.count(level) for level in liuyang.LEVEL_COUNTS} == {
        "全国": 1,
        "省": 4,
        "市": 77,
        "县": 438,
        "乡镇": 2104,
    }
    assert len(liuyang.rows_in(files["stations"])) == 67
