"""The Content-Security-Policy has no 'unsafe-inline': a template with an inline event
handler or script gets a button that does nothing in the browser (the station's poster
had ``onclick="window.print()"``). Every browser test also fails on a CSP report
(tests/conftest.py, ``page``); this catches the pages no browser test opens."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" not in folder.parts:
            yield from folder.rglob("*.html")


def test_no_template_has_an_inline_event_handler_or_script():
    found = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in HANDLER.finditer(text)]
        found += [
            f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in INLINE_SCRIPT.finditer(text)
        ]
    assert found == []
    assert len(list(templates())) > 50


def test_the_pager_takes_a_listing_or_a_plain_page_and_keeps_the_filters(rf):
    from types import SimpleNamespace

    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(range(30), 10).page(2)
    request = rf.get("/staff/callbacks/", {"q": "路灯", "page": "2"})
    for context in ({"page": page}, {"listing": SimpleNamespace(page=page)}):
        html = render_to_string("staff/includes/pager.html", {**context, "request": request})
        assert "page=1" in html and "page=3" in html, html
        assert "q=%E8%B7%AF%E7%81%AF" in html
    lone = Paginator(range(5), 10).page(1)
    assert "pagination" not in render_to_string(
        "staff/includes/pager.html", {"page": lone, "request": request}
    )
