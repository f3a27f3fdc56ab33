"""The work area's search at 1,000,000 cases: the header's box as a county committee,
by tracking code, phone (last four digits and whole), name, Chinese keyword (common and
rare) and suggestion number, each page median of ``--runs`` requests through Django's
whole stack (in-process, no network).

    createdb -h 127.0.0.1 -U postgres liaison_search
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_search \\
        .venv/bin/python benchmarks/search.py --cases 1000000
    dropdb -h 127.0.0.1 -U postgres liaison_search

Meant for an empty, throw-away database. One visit per case (each with its own
constituent, phone and name), 40 topics × 25 places as titles, a rare topic on ten
cases, received one every 30 seconds. The pg_trgm indexes are built after the load, as
the migration would build them on an existing table. Prints a table for
docs/benchmarks.md and the plans to test-artifacts/explain/search-1m.txt; exits 1 when a
median is over ``--budget`` milliseconds.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

TOPICS = [
    "路灯不亮",
    "道路破损",
    "积水内涝",
    "垃圾清运",
    "噪音扰民",
    "停车难",
    "供水中断",
    "燃气安全",
    "学校周边交通",
    "农村公路",
    "医保报销",
    "养老服务",
    "小区物业",
    "违章建筑",
    "河道污染",
    "占道经营",
    "公交线路",
    "拆迁安置",
    "农田灌溉",
    "电动车充电",
    "快递网点",
    "菜市场管理",
    "社区医院",
    "幼儿园入学",
    "老旧小区改造",
    "电梯加装",
    "防汛设施",
    "山塘水库",
    "集镇规划",
    "农产品销售",
    "就业培训",
    "低保申请",
    "残疾人补贴",
    "户籍办理",
    "网络信号",
    "广场舞扰民",
    "油烟污染",
    "流浪犬",
    "道路照明",
    "桥梁安全",
]
PLACES = [
    f"{name}街道"
    for name in [
        "星沙",
        "湘龙",
        "泉塘",
        "榔梨",
        "松雅湖",
        "安沙",
        "福临",
        "黄兴",
        "开慧",
        "果园",
        "春华",
        "青山铺",
        "高桥",
        "北山",
        "路口",
        "金井",
        "双江",
        "白沙",
        "江背",
        "黄花",
        "干杉",
        "长龙",
        "檀木桥",
        "北盛",
        "跳马",
    ]
]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国")
RARE = "古樟树保护"


def load(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from liaison.base.models import CommitteeMembership, Region
    from liaison.base.regions import RegionLevel
    from stations.models import Station
    from suggestions.models import CaseCategory, HandlingUnit
    from tests.factories import region

    with transaction.atomic():
        county = region("430121000000", "长沙县")
        townships = Region.objects.bulk_create(
            Region(
                code=f"430121{n:03d}000",
                name=PLACES[n - 1],
                level=RegionLevel.TOWNSHIP,
                parent=county,
            )
            for n in range(1, 21)
        )
        Station.objects.bulk_create(
            Station(region=t, name=f"{t.name}第{n}联络站", address="便民服务中心")
            for t in townships
            for n in range(1, 11)
        )
        units = HandlingUnit.objects.bulk_create(
            HandlingUnit(name=f"县第{n}局", region=county) for n in range(50)
        )
        CaseCategory.objects.get_or_create(code="transport", defaults={"name": "交通"})
        user = get_user_model().objects.create_user("county")
        CommitteeMembership.objects.create(region=county, user=user)
    categories = list(CaseCategory.objects.values_list("pk", flat=True))
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    digits = [f"substr(%(alphabet)s, (((i / {31**k}) %% 31) + 1)::int, 1)" for k in range(10)]
    code = " || ".join([*digits[:4], "'-'", *digits[4:8], "'-'", *digits[8:]])
    params = {
        "count": count,
        "now": timezone.now(),
        "surnames": SURNAMES,
        "surname_count": len(SURNAMES),
        "given_count": len(GIVEN),
        "given": GIVEN,
        "topics": TOPICS,
        "places": PLACES,
        "place_count": len(PLACES),
        "units": [u.pk for u in units],
        "categories": categories,
        "alphabet": alphabet,
        "rare": RARE,
        "rare_every": max(1, count // 10),
        "station_count": Station.objects.count(),
    }
    visits = """
    INSERT INTO stations_visit (station_id, region_id, reception_day_id, channel, visited_at,
        constituent_name, constituent_phone, constituent_address, constituent_id_number,
        people_count, recorded_by_id, created_at)
    SELECT s.id, s.region_id, NULL, 'household',
        %(now)s - interval '2 days' - (%(count)s - i) * interval '30 seconds',
        (%(surnames)s::text[])[1 + i %% %(surname_count)s]
            || (%(given)s::text[])[1 + (i / %(surname_count)s) %% %(given_count)s],
        '1' || (3 + i %% 7)::text || lpad(((i::bigint * 7919) %% 1000000000)::text, 9, '0'),
        '', '', 1, NULL, %(now)s
    FROM generate_series(1, %(count)s) AS i
    JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, region_id
          FROM stations_station) AS s ON s.n = i %% %(station_count)s
    ORDER BY i
    """
    cases = f"""
    INSERT INTO suggestions_case (
        tracking_code, visit_id, region_id, station_id, title, description, category_id,
        authority, disposition, step, deadline, deadline_explanation, escalation_level,
        escalated_deadline, next_sweep_on, lead_unit_id, extension_until, extension_reason,
        result, reply, satisfaction, public_summary, is_key, published, merged_into_id,
        reopen_count, received_at, registered_at, replied_at, closed_at, updated_at,
        created_by_id, handler, plan, public_reply, conclusion)
    SELECT {code}, v.id, v.region_id, v.station_id, t.title,
        t.title || '，群众反映已持续' || (1 + i %% 12) || '个月，希望尽快解决。',
        (%(categories)s::int[])[1 + i %% array_length(%(categories)s::int[], 1)],
        'county', 'letter', 'handling', (v.visited_at + interval '20 days')::date, '{{}}'::jsonb,
        0, NULL, NULL, (%(units)s::int[])[1 + i %% 50], NULL, '', '', '', '', '', false, false,
        NULL, 0, v.visited_at, v.visited_at + interval '1 hour', NULL, NULL,
        v.visited_at + interval '1 day', NULL, '', '', '', ''
    FROM generate_series(1, %(count)s) AS i
    JOIN stations_visit AS v ON v.id = %(first_visit)s + i - 1
    CROSS JOIN LATERAL (
        SELECT CASE WHEN i %% %(rare_every)s = 0 THEN %(rare)s || '问题'
                    ELSE (%(places)s::text[])[1 + (i / 40) %% %(place_count)s]
                         || (%(topics)s::text[])[1 + i %% 40] END AS title
    ) AS t
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(visits, params)
        cursor.execute("SELECT min(id) FROM stations_visit")
        params["first_visit"] = cursor.fetchone()[0]
        cursor.execute(cases, params)
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--budget", type=float, default=200.0)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to an empty PostgreSQL database.")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DATABASE_STATEMENT_TIMEOUT"] = "0"  # the load is minutes of one INSERT

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from suggestions.models import Case
    from workarea.search import search

    call_command("migrate", verbosity=0)
    if not Case.objects.exists():
        call_command("migrate", "workarea", "0001", verbosity=0)  # indexes after the load
        started = time.perf_counter()
        load(args.cases)
        call_command("migrate", verbosity=0)
        connection.cursor().execute("ANALYZE")
        print(f"loaded {args.cases:,} cases in {time.perf_counter() - started:.0f} s")
    case = Case.objects.select_related("visit").order_by("-id")[args.cases // 2]
    phone = case.visit.constituent_phone
    queries = {
        "tracking code": case.tracking_code,
        "phone, last 4 digits": phone[-4:],
        "phone, whole (with dashes)": f"{phone[:3]}-{phone[3:7]}-{phone[7:]}",
        "name": case.visit.constituent_name,
        "keyword, common (2.5% of cases)": "电动车充电",
        "keyword, two characters (5%)": "路灯",
        "keyword, rare (10 cases)": RARE,
        "keyword, none": "磁悬浮",
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    client_user = get_user_model().objects.get(username="county")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(client_user)
    explain_dir = ROOT / "test-artifacts" / "explain"
    explain_dir.mkdir(parents=True, exist_ok=True)
    rows, failed, plans = [], False, []
    for label, query in queries.items():
        times = []
        for _ in range(args.runs + 2):
            started = time.perf_counter()
            response = client.get("/staff/search/", {"q": query, "list": "1"})
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{label}: {response.status_code}")
        median = statistics.median(times[2:])
        found = search(user=client_user, query=query)
        rows.append((label, query, len(found.cases), median))
        failed |= median > args.budget
        plans.append(f"## {label}: {query}\n{_plan(query)}")
    (explain_dir / "search-1m.txt").write_text("\n\n".join(plans))
    print(f"| query ({Case.objects.count():,} cases) | typed | cases shown | median |")
    print("|---|---|---|---|")
    for label, query, shown, median in rows:
        print(f"| {label} | `{query}` | {shown} | {median:.1f} ms |")
    sys.exit(1 if failed else 0)


def _plan(query: str) -> str:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from stations.scopes import visits_visible_to
    from suggestions.cases.search import cases_matching
    from suggestions.cases.selectors import case_list

    user = get_user_model().objects.get(username="county")
    found = cases_matching(case_list(user=user), visits_visible_to(user), query)
    sql, params = found.order_by("-received_at", "-id")[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


if __name__ == "__main__":
    main()
