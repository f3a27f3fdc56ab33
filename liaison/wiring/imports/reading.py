"""Rows out of an uploaded file: .xlsx streamed with openpyxl's read-only mode, or CSV as
county offices save it (UTF-8, with or without BOM, or GBK/GB18030 from Chinese Excel)."""

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SAMPLE_BYTES = 64 * 1024


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""


def max_bytes() -> int:
    return settings.IMPORT_MAX_MB * 1024 * 1024


def check_archive(*, name: str, size: int) -> None:
    """A zip of photos: refused unread when it is another format, empty or oversized."""
    if PurePath(name).suffix.lower() != ".zip":
        raise FileRefused(_("Upload the photos as one .zip file."))
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if size > settings.IMPORT_PHOTOS_MAX_MB * 1024 * 1024:
        raise FileRefused(
            _(
                "The file is %(size)s MB; at most %(max)s MB can be imported at once: "
                "split the photos into several zip files."
            )
            % {"size": round(size / 1024 / 1024, 1), "max": settings.IMPORT_PHOTOS_MAX_MB}
        )


def check_file(*, name: str, size: int) -> None:
    """Refuses what is not worth opening: an empty file, an oversized one, another format."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls":
        raise FileRefused(
            _("This is an old Excel 97–2003 file (.xls): open it in Excel and save it as .xlsx.")
        )
    if suffix not in EXCEL_SUFFIXES | {".csv"}:
        raise FileRefused(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if size > max_bytes():
        raise FileRefused(
            _("The file is %(size)s MB; at most %(max)s MB can be imported at once.")
            % {"size": round(size / 1024 / 1024, 1), "max": settings.IMPORT_MAX_MB}
        )


def rows_of(file, name: str) -> Iterator[tuple[int, list[str]]]:
    """(row number as the spreadsheet shows it, cell texts) for each row of the first sheet."""
    if PurePath(name).suffix.lower() in EXCEL_SUFFIXES:
        yield from _excel_rows(file)
    else:
        yield from _csv_rows(file)


def _excel_rows(file) -> Iterator[tuple[int, list[str]]]:
    file.seek(0)
    if file.read(4) != b"PK\x03\x04":
        raise FileRefused(_("This file is not an Excel workbook (.xlsx), whatever its name says."))
    file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused(
            _("This file is not an Excel workbook (.xlsx), whatever its name says.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    finally:
        workbook.close()


def _csv_rows(file) -> Iterator[tuple[int, list[str]]]:
    file.seek(0)
    sample = file.read(SAMPLE_BYTES)
    if b"\x00" in sample:
        raise FileRefused(_("This file is not a CSV text file, whatever its name says."))
    encoding = _encoding_of(sample)
    file.seek(0)
    text = io.TextIOWrapper(file, encoding=encoding, newline="")
    try:
        for number, values in enumerate(csv.reader(text), start=1):
            yield number, [value.strip() for value in values]
    except (UnicodeDecodeError, csv.Error) as error:
        raise FileRefused(
            _("The CSV file could not be read as UTF-8 or GBK text: save it again as CSV (UTF-8).")
        ) from error
    finally:
        text.detach()


def _encoding_of(sample: bytes) -> str:
    """UTF-8 when the sample decodes as such (a character cut at the sample's end is
    fine), otherwise GB18030, the superset of the GBK that Chinese Excel writes."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def cell_text(value) -> str:
    """A cell as the text a person reads in it: 430181000000 rather than 4.30181e+11."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def row_count_hint(file, name: str) -> int | None:
    """About how many data rows the file has, for the progress bar; None when unknown.
    An .xlsx says it in its sheet's dimension; a CSV's lines are counted."""
    try:
        file.seek(0)
        if PurePath(name).suffix.lower() in EXCEL_SUFFIXES:
            workbook = load_workbook(file, read_only=True)
            try:
                rows = workbook.worksheets[0].max_row
            finally:
                workbook.close()
        else:
            rows = sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))
        return max(rows - 1, 0) if rows else None
    except Exception:  # a hint only: reading the rows reports what is wrong
        return None
    finally:
        file.seek(0)
