"""Representatives' photos from one zip, each photo named by its representative: the
number within the term (``县18-0001.jpg``), or name and region code
(``王新_430181000000.jpg``) for one without a number. Bad photos are reported by file
name; nothing is written unless every photo in the zip is good.

A photo is stored under the hash of its content (``representatives/<hash>.jpg``): the same
photo imported again changes nothing, and an export imports back unchanged. The page-sized
copies are made after the import commits (``representatives.photos``)."""

import contextlib
import hashlib
import io
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from liaison.wiring.imports import engine, reading
from liaison.wiring.imports.engine import CellError, Importer, Plan
from representatives.models import Representative
from representatives.photos import photo_thumbnails_make

FORMATS = {"JPEG": ".jpg", "PNG": ".png"}
SUFFIXES = {".jpg", ".jpeg", ".png"}
PROGRESS_EVERY = 100
MAX_ENTRIES = 20_000
README_NAME = "填写说明.txt"
README = """代表照片导入说明

1. 每张照片一个文件，JPEG（.jpg）或 PNG（.png），每张不超过 {photo_mb} MB。
2. 照片以代表命名：
   - 有代表编号的，用代表编号，如 县18-0001.jpg；
   - 没有编号的，用“姓名_所属区划代码”，如 王新_430181000000.jpg。
3. 把所有照片打成一个 zip 文件上传（不超过 {zip_mb} MB；照片多时可分几个 zip 上传）。
   zip 中的文件夹和本说明文件不影响导入。
4. 系统先逐个检查照片，列出有问题的文件；全部无误并确认后才一次性导入。
   同一张照片再次导入不会有任何变化；未包含在 zip 中的代表，照片保持不变。
"""


def readme() -> str:
    return README.format(
        photo_mb=settings.IMPORT_PHOTO_MAX_MB, zip_mb=settings.IMPORT_PHOTOS_MAX_MB
    )


def skipped(info: zipfile.ZipInfo) -> bool:
    """Folders, the readme and what operating systems add to a zip."""
    path = PurePosixPath(info.filename)
    return (
        info.is_dir()
        or path.suffix.lower() == ".txt"
        or any(part.startswith((".", "__MACOSX")) for part in path.parts)
        or path.name.lower() in {"thumbs.db", "desktop.ini"}
    )


def entry_name(info: zipfile.ZipInfo) -> str:
    """The name as the person who made the zip sees it: zips from Chinese Windows carry
    GBK names without the UTF-8 flag, which Python reads as CP437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gb18030")
    return name


class PhotoImporter(Importer):
    kind = "photos"
    title = gettext_lazy("Photos of representatives")
    archive = True

    def __init__(self, **options):
        super().__init__(**options)
        self.zip: zipfile.ZipFile | None = None
        self.found: dict[int, tuple[str, zipfile.ZipInfo, str]] = {}
        self.by_file: list[tuple[str, zipfile.ZipInfo, str, str, str]] = []

    @classmethod
    def check_upload(cls, *, name: str, size: int) -> None:
        reading.check_archive(name=name, size=size)

    def size_hint(self, file, name: str) -> int | None:
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                return sum(1 for info in archive.infolist() if not skipped(info))
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            file.seek(0)

    def check_stored(self, file, name: str, progress=None) -> Plan:
        plan = Plan()
        file.seek(0)
        try:
            self.zip = zipfile.ZipFile(file)
            entries = [info for info in self.zip.infolist() if not skipped(info)]
        except (zipfile.BadZipFile, OSError, ValueError):
            raise reading.FileRefused(
                _("This file is not a zip file, whatever its name says.")
            ) from None
        if len(entries) > MAX_ENTRIES:
            raise reading.FileRefused(
                _("The zip holds more than %(max)s files.") % {"max": MAX_ENTRIES}
            )
        if not entries:
            plan.error(0, "", _("The zip holds no photos."))
            return plan
        wanted: list[tuple[str, zipfile.ZipInfo, str, str | None, str | None]] = []
        for info in entries:
            plan.rows += 1
            if progress and plan.rows % PROGRESS_EVERY == 0:
                progress(plan.rows)
            shown = entry_name(info)
            stored = self._read_photo(plan, info, shown)
            key = self._key(plan, shown)
            if stored and key:
                wanted.append((shown, info, stored, *key))
        self._resolve(plan, wanted)
        return plan

    def _read_photo(self, plan: Plan, info: zipfile.ZipInfo, shown: str) -> str | None:
        """The name the photo is stored under (its content's hash), or None, the error
        listed against the file."""
        if PurePosixPath(shown).suffix.lower() not in SUFFIXES:
            plan.error(0, shown, _("Only JPEG or PNG photos (.jpg, .png) can be imported."))
            return None
        limit = settings.IMPORT_PHOTO_MAX_MB * 1024 * 1024
        if info.file_size > limit:
            plan.error(
                0,
                shown,
                _("The photo is %(size)s MB; at most %(max)s MB.")
                % {
                    "size": round(info.file_size / 1024 / 1024, 1),
                    "max": settings.IMPORT_PHOTO_MAX_MB,
                },
            )
            return None
        try:
            with self.zip.open(info) as handle:
                # Read no more than the limit, whatever the zip's header says.
                content = handle.read(limit + 1)
            if len(content) > limit:
                raise ValueError
            with Image.open(io.BytesIO(content)) as image:
                kind = image.format
                image.verify()
        except (
            OSError,
            ValueError,
            zipfile.BadZipFile,
            UnidentifiedImageError,
            Image.DecompressionBombError,
        ):
            kind = None
        if kind not in FORMATS:
            plan.error(0, shown, _("This file is not a JPEG or PNG picture that can be read."))
            return None
        digest = hashlib.sha256(content).hexdigest()[:32]
        return f"representatives/{digest}{FORMATS[kind]}"

    def _key(self, plan: Plan, shown: str) -> tuple[str, str | None] | None:
        """(number, None) or (name, region code) from the file's name."""
        stem = unicodedata.normalize("NFKC", PurePosixPath(shown).stem).strip()
        if "_" in stem:
            name, code = (part.strip() for part in stem.rsplit("_", 1))
            try:
                return name, engine.division_code(code)
            except (CellError, ValidationError):
                plan.error(
                    0,
                    shown,
                    _("Name the photo 姓名_区划代码 with a 12-digit region code, or by number."),
                )
                return None
        if not stem:
            plan.error(0, shown, _("Name the photo by the representative's number."))
            return None
        return stem, None

    def _resolve(self, plan: Plan, wanted) -> None:
        numbers = {key for *_rest, key, code in wanted if code is None}
        names = {key for *_rest, key, code in wanted if code is not None}
        candidates: dict[tuple, list[Representative]] = defaultdict(list)
        fields = ("id", "number", "name", "region_id", "term", "photo")
        for chunk in engine.chunks(sorted(numbers)):
            for rep in Representative.objects.filter(number__in=chunk).only(*fields):
                candidates[(rep.number, None)].append(rep)
        for chunk in engine.chunks(sorted(names)):
            for rep in Representative.objects.filter(name__in=chunk).only(*fields):
                candidates[(rep.name, rep.region_id)].append(rep)
        taken: dict[int, str] = {}
        for shown, info, stored, key, code in wanted:
            found = candidates.get((key, code), [])
            if len(found) > 1:
                # The same number, or name, in several terms: the latest term's.
                latest = max(rep.term for rep in found)
                found = [rep for rep in found if rep.term == latest]
            if not found:
                plan.error(
                    0,
                    shown,
                    _("No representative has number %(number)s.") % {"number": key}
                    if code is None
                    else _("No representative is called %(name)s in region %(code)s.")
                    % {"name": key, "code": code},
                )
                continue
            if len(found) > 1:
                plan.error(
                    0,
                    shown,
                    _(
                        "Several representatives have number %(number)s: name the photo "
                        "姓名_区划代码."
                    )
                    % {"number": key}
                    if code is None
                    else _(
                        "Several representatives of this name in this region: name the photo by number."
                    ),
                )
                continue
            rep = found[0]
            if rep.pk in taken:
                plan.error(
                    0,
                    shown,
                    _("%(other)s is a photo of the same representative.")
                    % {"other": taken[rep.pk]},
                )
                continue
            taken[rep.pk] = shown
            if rep.photo.name == stored:
                plan.count("unchanged")
                continue
            plan.count("updated" if rep.photo else "created")
            self.by_file.append((shown, info, stored, rep.pk, rep.photo.name))

    def write(self) -> None:
        changed: list[Representative] = []
        now = timezone.now()
        for _shown, info, stored, pk, _old in self.by_file:
            if not default_storage.exists(stored):
                with self.zip.open(info) as handle:
                    stored = default_storage.save(stored, ContentFile(handle.read()))
            rep = Representative(pk=pk, photo=stored, updated_at=now)
            changed.append(rep)
        Representative.objects.bulk_update(changed, ["photo", "updated_at"], batch_size=1000)
        photos = [rep.photo for rep in changed]
        transaction.on_commit(lambda: [photo_thumbnails_make(photo) for photo in photos])

    def export_photos(self) -> Iterator[tuple[str, Representative]]:
        """(file name in the zip, representative) of every representative with a photo:
        by number when only one representative has it, else 姓名_区划代码."""
        people = list(
            Representative.objects.exclude(photo="")
            .only("id", "number", "name", "region_id", "term", "photo")
            .order_by("level", "region_id", "term", "number", "id")
        )
        counts: dict[str, int] = defaultdict(int)
        for chunk in engine.chunks(sorted({rep.number for rep in people if rep.number})):
            for number in Representative.objects.filter(number__in=chunk).values_list(
                "number", flat=True
            ):
                counts[number] += 1
        for rep in people:
            suffix = PurePosixPath(rep.photo.name).suffix.lower() or ".jpg"
            stem = (
                rep.number
                if rep.number and counts[rep.number] == 1
                else (f"{rep.name}_{rep.region_id}")
            )
            yield f"{stem}{suffix}", rep


def photos_zip(importer: PhotoImporter, with_photos: bool, out) -> None:
    """The template (the readme alone) or the export (every photo, named for the import)
    written as a zip to ``out``, one photo in memory at a time."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(README_NAME, readme())
        if not with_photos:
            return
        for name, rep in importer.export_photos():
            try:
                with rep.photo.open("rb") as photo:
                    archive.writestr(name, photo.read())
            except OSError:
                continue
