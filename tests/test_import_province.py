"""A province's division-code list (synthetic: 20 cities, 120 counties, 1,800 townships,
28,800 villages; 30,741 rows) imports in a process of its own whose peak memory stays
at most 300 MB: the file is streamed, the plan keeps a few short strings a region."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from openpyxl import Workbook

from liaison.base.models import Region
from liaison.wiring.imports.rosters import ROSTERS

pytestmark = pytest.mark.django_db(transaction=True)

# The peak is the child's own (VmHWM of its address space): ru_maxrss would carry over the
# RSS of the pytest process it was forked from, since Linux keeps it across exec.
CHILD = """
import json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
django.setup()
from django.core.management import call_command
started = time.monotonic()
call_command("import_roster", "regions", sys.argv[1], "--apply", verbosity=0)
print(json.dumps({"seconds": time.monotonic() - started,
                  "peak_mb": int(next(line.split()[1] for line in open("/proc/self/status")
                                      if line.startswith("VmHWM:"))) / 1024}))
"""


def province_file(path):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("区划")
    sheet.append([column.header for column in ROSTERS["regions"].columns])
    sheet.append(["440000000000", "", "某省"])
    for city in range(1, 21):
        sheet.append([f"44{city:02d}00000000", "", f"第{city}市"])
        for county in range(1, 7):
            sheet.append([f"44{city:02d}{county:02d}", "", f"第{city}市第{county}县"])
            for township in range(1, 16):
                prefix = f"44{city:02d}{county:02d}{township:03d}"
                sheet.append([f"{prefix}000", "", f"第{township}镇"])
                for village in range(1, 17):
                    sheet.append([f"{prefix}{village:03d}", "220", f"第{village}村"])
    workbook.save(path)


def test_a_province_imports_within_300_mb(tmp_path, postgres):
    path = tmp_path / "province.xlsx"
    province_file(path)
    database = settings.DATABASES["default"]
    # The child writes into the test database, which a transactional test leaves visible.
    env = {
        **os.environ,
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
    }
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"province import: {figures['seconds']:.1f} s, peak {figures['peak_mb']:.0f} MB")
    assert Region.objects.count() == 30_741
    assert Region.objects.filter(level="village").count() == 28_800
    assert figures["peak_mb"] <= 300
