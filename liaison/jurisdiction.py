from liaison import regions
from liaison.models import JurisdictionSettings


def settings_for(region_code: str) -> JurisdictionSettings:
    """The rules in force for a region: its own, its nearest ancestor's, or the defaults."""
    codes = regions.ancestor_codes(region_code)
    rows = {row.region_id: row for row in JurisdictionSettings.objects.filter(region_id__in=codes)}
    for code in reversed(codes):
        if code in rows:
            return rows[code]
    return JurisdictionSettings()
