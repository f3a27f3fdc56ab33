"""Every UI string has its Simplified Chinese translation, and the compiled catalogue
matches the source one."""

import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def entries(path: Path, *, with_context: bool = True):
    """(msgid, translations) for each entry, continuation lines joined."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if not with_context and "msgctxt" in block:
            continue
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""\n"Project' not in block:
            yield "fuzzy: " + block, []
            continue
        msgid = (
            "".join(re.findall(r'"(.*)"', block.split("msgid ", 1)[1].split("\nmsg")[0]))
            if "msgid " in block
            else ""
        )
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M)
        yield msgid, ["".join(re.findall(r'"(.*)"', s)) for s in strs]


def test_catalogues_exist_for_the_project_and_each_app():
    owners = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    assert owners == {
        "figures",
        "locale",
        "projects",
        "representatives",
        "stations",
        "suggestions",
        "workarea",
    }


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated(path):
    missing = [msgid for msgid, strs in entries(path) if msgid and not all(strs)]
    assert missing == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_is_current(path):
    compiled = gettext.GNUTranslations(path.with_suffix(".mo").open("rb"))
    for msgid, strs in entries(path, with_context=False):
        if msgid and "\\" not in msgid and len(strs) == 1:
            assert compiled.gettext(msgid) == strs[0].replace('\\"', '"'), msgid


def test_a_string_shared_by_catalogues_has_one_translation():
    """Django merges every catalogue into one (the project's wins, then the first app's),
    so a msgid translated two ways shows one app the other app's words. A string that
    needs different words in different places gets a different msgid."""
    seen: dict[str, dict[str, str]] = {}
    for path in CATALOGUES:
        for msgid, strs in entries(path, with_context=False):
            if msgid and strs and strs[0] and not msgid.startswith("fuzzy: "):
                seen.setdefault(msgid, {})[str(path.relative_to(ROOT).parts[0])] = strs[0]
    clashes = {msgid: by for msgid, by in seen.items() if len(set(by.values())) > 1}
    assert not clashes, clashes
