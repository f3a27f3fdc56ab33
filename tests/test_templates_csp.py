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
