"""Rosters shaped like 浏阳市's (seeds/002): 32 townships and streets, 67 stations,
1 national, 4 provincial, 77 city, 438 county-level-city and 2,104 township
representatives seated in them, 48 handling units and their staff, written as the
spreadsheets a county office keeps (the templates' columns, Excel or CSV).

The set is stored once as .xlsx under tests/data/liuyang/ (``STORED``; tests/data/README.md
says how to make it again): the tests and the benchmark import those files, and
tests/test_import_samples.py holds that this module still writes the same rows."""

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook

PROVINCE, CITY, COUNTY = "430000000000", "430100000000", "430181000000"
TOWNSHIPS = [
    "淮川街道",
    "集里街道",
    "荷花街道",
    "关口街道",
    "蕉溪镇",
    "大瑶镇",
    "金刚镇",
    "文家市镇",
    "枨冲镇",
    "古港镇",
    "永安镇",
    "镇头镇",
    "沙市镇",
    "社港镇",
    "龙伏镇",
    "官渡镇",
    "达浒镇",
    "张坊镇",
    "中和镇",
    "澄潭江镇",
    "沿溪镇",
    "北盛镇",
    "洞阳镇",
    "柏加镇",
    "葛家镇",
    "高坪镇",
    "普迹镇",
    "官桥镇",
    "永和镇",
    "淳口镇",
    "大围山镇",
    "小河乡",
]
LEVEL_COUNTS = {"全国": 1, "省": 4, "市": 77, "县": 438, "乡镇": 2104}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国志强秀英丽华明辉海燕伟平红梅桂兰春生国庆晓东玉兰德华金凤文军淑珍勇军小红永红"
UNITS = [
    "发展和改革局",
    "教育局",
    "科技和工业信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境分局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化旅游广电体育局",
    "卫生健康局",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理和综合执法局",
    "林业局",
    "行政审批服务局",
    "信访局",
    "乡村振兴局",
    "机关事务局",
    "数据资源局",
    "供销合作社",
    "气象局",
    "烟花爆竹产业发展中心",
    "经开区管委会",
    "高新区管委会",
    "花炮安全监管局",
    "国有资产事务中心",
    "人民防空办公室",
    "粮食和物资储备中心",
    "住房公积金管理部",
    "供电公司",
    "自来水公司",
    "燃气公司",
    "邮政分公司",
    "电信分公司",
    "人民法院",
    "人民检察院",
    "税务局",
]
START = dt.date(2022, 1, 1)
STORED = Path(__file__).parent / "data" / "liuyang"


def township_code(i: int) -> str:
    return f"430181{i + 1:03d}000"


def village_code(i: int, j: int) -> str:
    return f"430181{i + 1:03d}{j + 1:03d}"


def rows() -> dict[str, list[list]]:
    regions = [[PROVINCE, "", "湖南省"], [CITY, "", "长沙市"], [COUNTY, "", "浏阳市"]]
    stations = []
    for i, township in enumerate(TOWNSHIPS):
        regions.append([township_code(i), "", township])
        stations.append([township_code(i), f"{township}人大代表联络站"])
    # 35 more stations in villages and communities: 67 in all.
    for n in range(35):
        i = n % len(TOWNSHIPS)
        j = n // len(TOWNSHIPS)
        kind = "111" if TOWNSHIPS[i].endswith("街道") else "220"
        regions.append([village_code(i, j), kind, f"{TOWNSHIPS[i]}第{j + 1}村"])
        stations.append([village_code(i, j), f"{TOWNSHIPS[i]}第{j + 1}村代表联络站"])
    station_rows = [
        [
            f"LY-{k + 1:03d}",
            name,
            "联络站",
            code,
            f"浏阳市{name.removesuffix('人大代表联络站').removesuffix('代表联络站')}便民服务中心",
            "是",
            "每月15日 9:00-12:00",
            "是",
        ]
        for k, (code, name) in enumerate(stations)
    ]
    units = [
        [
            COUNTY,
            f"浏阳市{name}",
            "法院" if name == "人民法院" else "检察院" if name == "人民检察院" else "政府部门",
            f"{SURNAMES[k]}主任",
            f"0731-83{k:06d}",
            "是",
        ]
        for k, name in enumerate(UNITS)
    ]
    people = []
    serial = 0
    for level, count in LEVEL_COUNTS.items():
        for k in range(count):
            serial += 1
            name = (
                SURNAMES[serial % len(SURNAMES)]
                + GIVEN[(serial * 2) % len(GIVEN)]
                + GIVEN[(serial * 2 + 1) % len(GIVEN)]
            )
            if level in {"全国", "省"}:
                region, term, district = PROVINCE, 14, "长沙市"
            elif level == "市":
                region, term, district = CITY, 16, "浏阳市"
            elif level == "县":
                region, term, district = COUNTY, 18, f"第{k % 200 + 1}选区"
            else:
                region, term, district = (
                    township_code(k % len(TOWNSHIPS)),
                    18,
                    f"第{k // len(TOWNSHIPS) + 1}选区",
                )
            # County and township representatives sit in their township's station; the
            # others near where they work, mostly in the four streets' stations.
            if level == "乡镇":
                station = k % len(TOWNSHIPS)
            elif level == "县":
                station = k % len(station_rows)
            else:
                station = k % 4
            people.append(
                [
                    f"{level}{term}-{k + 1:04d}",
                    name,
                    "男" if serial % 3 else "女",
                    level,
                    term,
                    region,
                    district,
                    f"浏阳市{UNITS[serial % len(UNITS)]}"
                    if serial % 4 == 0
                    else f"{TOWNSHIPS[k % len(TOWNSHIPS)]}某村",
                    "局长" if serial % 4 == 0 else "村民",
                    "职务代表" if serial % 4 == 0 else "基层代表",
                    f"0731-8{serial:07d}" if serial % 5 == 0 else "",
                    f"139{serial:08d}",
                    "",
                    "是",
                    station_rows[station][0],
                    START.isoformat(),
                    "",
                ]
            )
    staff = [
        ["admin2", "系统管理员", "", "管理员", "", "", ""],
        ["lgw", "浏阳市人大常委会联工委", "", "联工委", COUNTY, "", "联工委主任"],
    ]
    for i, township in enumerate(TOWNSHIPS):
        staff.append(
            [f"rd{i + 1:03d}", f"{township}人大", "", "联工委", township_code(i), "", "人大主席"]
        )
    for k, station in enumerate(station_rows):
        staff.append([f"ly{k + 1:03d}", f"{station[1]}联络员", "", "联络员", station[0], "", ""])
    for k, unit in enumerate(units):
        staff.append([f"dw{k + 1:03d}", f"{unit[1]}经办人", "", "承办单位", COUNTY, unit[1], ""])
    # A group of each township's own representatives, and one of the representatives to
    # the congresses above the county who live in it.
    groups = []
    for i, township in enumerate(TOWNSHIPS):
        numbers = [row[0] for row in people if row[3] == "乡镇" and row[5] == township_code(i)]
        groups.append(
            [
                township_code(i),
                f"{township}人大代表小组",
                "同级编组",
                "乡镇",
                "",
                numbers[0],
                f"rd{i + 1:03d}",
                "、".join(numbers),
            ]
        )
    above = [row[0] for row in people if row[3] in {"全国", "省", "市"}]
    groups.append(
        [COUNTY, "驻浏阳上级人大代表小组", "混合编组", "", "", above[0], "lgw", "、".join(above)]
    )
    return {
        "regions": regions,
        "stations": station_rows,
        "units": units,
        "representatives": people,
        "staff": staff,
        "groups": groups,
    }


def write(
    kind: str, data: list[list], folder: Path, fmt: str = "xlsx", encoding: str = "utf-8-sig"
) -> Path:
    """One roster's file with the template's header row, as Excel or CSV."""
    from liaison.wiring.imports.rosters import ROSTERS

    header = [column.header for column in ROSTERS[kind].columns]
    path = folder / f"{kind}.{fmt}"
    if fmt == "csv":
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(data)
        return path
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名册")
    sheet.append(header)
    for row in data:
        sheet.append(row)
    workbook.save(path)
    return path


def write_all(folder: Path) -> dict[str, Path]:
    return {kind: write(kind, data, folder) for kind, data in rows().items()}


def stored() -> dict[str, Path]:
    """The stored sample files, by roster, in the order they import."""
    return {kind: STORED / f"{kind}.xlsx" for kind in rows()}


def rows_in(path: Path) -> list[list[str]]:
    """A stored file's data rows as the import reads them (every cell as text)."""
    from liaison.wiring.imports.reading import cell_text

    workbook = load_workbook(path, read_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [
            [cell_text(value) for value in row]
            for row in sheet.iter_rows(min_row=2, values_only=True)
        ]
    finally:
        workbook.close()


if __name__ == "__main__":
    # Regenerates the stored set: python -m tests.liuyang_rosters (tests/data/README.md).
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    django.setup()
    for kind, path in write_all(STORED).items():
        print(kind, path, path.stat().st_size)
