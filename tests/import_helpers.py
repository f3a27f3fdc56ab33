"""Driving the imports from tests: a file on disk through the preview and the apply."""

from pathlib import Path

from liaison.base.models import ImportRecord
from liaison.wiring.imports import services


def preview(kind: str, path: Path, actor=None, **options) -> ImportRecord:
    with path.open("rb") as handle:
        return services.import_preview(
            kind=kind,
            file=handle,
            name=path.name,
            size=path.stat().st_size,
            actor=actor,
            options=options,
        )


def load(kind: str, path: Path, actor=None, **options) -> ImportRecord:
    record = preview(kind, path, actor, **options)
    assert record.errors == [], record.errors[:5]
    record = services.import_apply(record_id=record.pk, actor=actor)
    assert record.status == ImportRecord.Status.APPLIED, record.errors[:5]
    return record


def errors_of(record: ImportRecord) -> list[tuple[int, str, str]]:
    return [tuple(error) for error in record.errors]
