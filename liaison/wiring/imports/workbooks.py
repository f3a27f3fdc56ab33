"""Templates and exports: the same columns, so a file can go out, be edited and come back.
Excel files are written in openpyxl's write-only mode (memory stays flat for a province);
CSV is UTF-8 with a BOM, which Excel opens without garbling the Chinese."""

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from liaison.wiring.imports.engine import Importer


def xlsx(importer: Importer, rows: Iterable[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(importer.title))
    bold = Font(bold=True)
    header = []
    for column in importer.columns:
        cell = WriteOnlyCell(sheet, value=column.header + ("*" if column.required else ""))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        # Codes as text, so that Excel neither rounds 12 digits nor drops leading zeros.
        sheet.append(["" if value is None else str(value) for value in row])
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for column in importer.columns:
        notes.append([column.header, "是" if column.required else "", column.note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(importer: Importer, rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in importer.columns])
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")
