"""The rosters that can be imported, in the order a county goes live: each needs the
ones before it (stations sit in regions, representatives in stations, staff in all; groups gather
representatives, with a staff login as their liaison)."""

from liaison.wiring.imports.engine import Importer
from liaison.wiring.imports.groups import GroupImporter
from liaison.wiring.imports.photos import PhotoImporter
from liaison.wiring.imports.regions import RegionImporter
from liaison.wiring.imports.representatives import RepresentativeImporter
from liaison.wiring.imports.staff import StaffImporter
from liaison.wiring.imports.stations import StationImporter
from liaison.wiring.imports.units import UnitImporter

ROSTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        RegionImporter,
        StationImporter,
        UnitImporter,
        RepresentativeImporter,
        StaffImporter,
        GroupImporter,
        PhotoImporter,
    )
}
