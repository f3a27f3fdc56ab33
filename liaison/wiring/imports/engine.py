"""What every roster's importer shares: its columns, the plan a check builds (rows to
create, update or leave, and every error by row and column), and the cell parsers.

An importer reads every row first (``read_row``), then checks what needs the database
or other rows in a few bulk queries (``resolve``), and writes only from a plan without
errors (``write``), inside the caller's transaction. The same validators as the forms
and the admin run on every row: the models' field validators and ``clean()``.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from liaison.base import regions
from liaison.wiring.imports import reading

# Cells past this many errors are still checked, but not listed: a wrong file would
# otherwise fill the page with the same message.
MAX_ERRORS = 2000
PROGRESS_EVERY = 500
LIST_SEPARATORS = re.compile(r"[;；、,，\s]+")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template writes it: the county's files are in Chinese
    required: bool = False
    note: str = ""  # the template's explanation sheet


@dataclass
class Plan:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.more_errors

    def error(self, row: int, column: str, message) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((row, column, str(message)))
        else:
            self.more_errors += 1

    def count(self, action: str) -> None:
        setattr(self, action, getattr(self, action) + 1)


class CellError(ValueError):
    pass


class Importer:
    kind = ""
    title = ""
    columns: tuple[Column, ...] = ()
    # A spreadsheet (.xlsx or .csv) of rows; an archive importer (photos) reads a .zip.
    archive = False

    def __init__(self, **options):
        self.options = options
        self.records: list[dict] = []

    # reading

    @classmethod
    def check_upload(cls, *, name: str, size: int) -> None:
        """Refuses, unread, a file this importer cannot take (``reading.FileRefused``)."""
        reading.check_file(name=name, size=size)

    def size_hint(self, file, name: str) -> int | None:
        return reading.row_count_hint(file, name)

    def check_stored(self, file, name: str, progress=None) -> "Plan":
        """The stored upload read and checked (``check`` over its rows)."""
        return self.check(reading.rows_of(file, name), progress=progress)

    def check(self, rows: Iterable[tuple[int, list[str]]], progress=None) -> "Plan":
        """``progress(rows_read)`` is called every ``PROGRESS_EVERY`` rows."""
        plan = Plan()
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            plan.error(1, "", _("The file is empty."))
            return plan
        header_row, headers = first
        index = self._index(headers, header_row, plan)
        if not plan.ok:
            return plan
        for number, values in rows:
            if not any(values):
                continue
            plan.rows += 1
            if progress and plan.rows % PROGRESS_EVERY == 0:
                progress(plan.rows)
            record = {key: values[i] if i < len(values) else "" for key, i in index.items()}
            self.read_row(number, record, plan)
        if plan.rows == 0:
            plan.error(header_row, "", _("The file has its header row but no data rows."))
            return plan
        self.resolve(plan)
        return plan

    def _index(self, headers: list[str], row: int, plan: Plan) -> dict[str, int]:
        by_header = {column.header: column for column in self.columns}
        index: dict[str, int] = {}
        for i, header in enumerate(headers):
            header = header_text(header)
            if not header:
                continue
            column = by_header.get(header)
            if column is None:
                plan.error(
                    row,
                    header,
                    _("Unknown column “%(header)s”: use the template's columns (%(columns)s).")
                    % {"header": header, "columns": "、".join(by_header)},
                )
            elif column.key in index:
                plan.error(row, header, _("This column appears twice."))
            else:
                index[column.key] = i
        for column in self.columns:
            if column.required and column.key not in index:
                plan.error(
                    row,
                    column.header,
                    _("The required column “%(header)s” is missing.") % {"header": column.header},
                )
        return index

    def header(self, key: str) -> str:
        return next(column.header for column in self.columns if column.key == key)

    def cell(self, plan: Plan, number: int, record: dict, key: str, parse, empty=None, **kwargs):
        """``parse(text, **kwargs)``, or None with the error listed against the cell; an
        empty optional cell is ``empty``."""
        column = next(column for column in self.columns if column.key == key)
        text = record.get(key, "")
        if not text:
            if column.required:
                plan.error(number, column.header, _("This cell is required."))
            return empty
        try:
            return parse(text, **kwargs)
        except (CellError, ValidationError) as error:
            for message in messages_of(error):
                plan.error(number, column.header, message)
            return None

    def model_errors(
        self, plan: Plan, number: int, instance, fields: dict[str, str], exclude=(), full=True
    ) -> bool:
        """The model's own validation (field validators and ``clean()``), as the admin runs
        it, minus what the importer checks in bulk (uniqueness, foreign keys); ``full=False``
        leaves out a ``clean()`` that would query the database row by row."""
        try:
            if full:
                instance.full_clean(
                    exclude=list(exclude), validate_unique=False, validate_constraints=False
                )
            else:
                instance.clean_fields(exclude=list(exclude))
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                column = "" if name == NON_FIELD_ERRORS else fields.get(name, name)
                for message in errors:
                    plan.error(number, column, message)
            return False
        return True

    # to override

    def read_row(self, number: int, record: dict, plan: Plan) -> None:
        raise NotImplementedError

    def resolve(self, plan: Plan) -> None:
        raise NotImplementedError

    def write(self) -> None:
        raise NotImplementedError

    def export_rows(self) -> Iterator[list]:
        raise NotImplementedError

    def audit_trail(self) -> list[tuple[str, str, str]]:
        """What the write changed that the security audit records, as (object type,
        object id, detail): role changes, for the staff file."""
        return []


def messages_of(error) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error)]


def header_text(value: str) -> str:
    """A header as the template writes it; a trailing * (required) and spaces do not count."""
    return unicodedata.normalize("NFKC", value or "").strip().rstrip("*").strip()


def text(value: str, *, max_length: int = 100) -> str:
    value = unicodedata.normalize("NFC", value).strip()
    if len(value) > max_length:
        raise CellError(_("At most %(max)s characters.") % {"max": max_length})
    return value


def boolean(value: str, *, default: bool) -> bool:
    value = value.strip().lower()
    if not value:
        return default
    if value in {"是", "y", "yes", "true", "1", "√", "✓"}:
        return True
    if value in {"否", "n", "no", "false", "0", "×", "✗"}:
        return False
    raise CellError(_("Write 是 or 否."))


def choice(value: str, *, labels: dict[str, str], default: str = "") -> str:
    """A choice written as its Chinese label (or its stored value)."""
    value = value.strip()
    if not value:
        return default
    if value in labels.values():
        return value
    if value in labels:
        return labels[value]
    raise CellError(_("Write one of: %(choices)s.") % {"choices": "、".join(labels)})


def division_code(value: str) -> str:
    """A division code as published: 12 digits, or the 6-digit county code padded."""
    value = unicodedata.normalize("NFKC", value).strip()
    if re.fullmatch(r"[0-9]{6}", value):
        value = value.ljust(12, "0")
    regions.validate_code(value)
    return value


DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def date(value: str) -> dt.date | None:
    value = unicodedata.normalize("NFKC", value).strip()
    if not value:
        return None
    match = DATE_RE.match(value.split("T")[0].split(" ")[0])
    try:
        if not match:
            raise ValueError
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(_("Write a date as 2027-01-15.")) from None


def whole_number(value: str, *, minimum: int = 1, maximum: int = 999) -> int:
    value = unicodedata.normalize("NFKC", value).strip().removeprefix("第").removesuffix("届")
    try:
        number = int(value)
    except ValueError:
        raise CellError(_("Write a whole number.")) from None
    if not minimum <= number <= maximum:
        raise CellError(
            _("Write a number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}
        )
    return number


def code_list(value: str) -> list[str]:
    seen: dict[str, None] = {}
    for part in LIST_SEPARATORS.split(unicodedata.normalize("NFKC", value).strip()):
        if part:
            seen[part] = None
    return list(seen)


def chunks(items: list, size: int = 2000) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def existing_regions(codes) -> set[str]:
    from liaison.base.models import Region

    found: set[str] = set()
    for chunk in chunks(sorted(codes)):
        found.update(Region.objects.filter(code__in=chunk).values_list("code", flat=True))
    return found
