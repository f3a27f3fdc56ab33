from liaison.base import regions
from liaison.base.models import JurisdictionSettings


def settings_for(region_code: str) -> JurisdictionSettings:
    """The rules in force for a region: its own, its nearest ancestor's, or the defaults."""
    return settings_for_many([region_code])[region_code]


def settings_for_many(region_codes) -> dict[str, JurisdictionSettings]:
    """``settings_for`` of many regions with one query (the sweeps resolve a batch at once)."""
    chains = {code: regions.ancestor_codes(code) for code in set(region_codes)}
    wanted = {ancestor for chain in chains.values() for ancestor in chain}
    rows = {row.region_id: row for row in JurisdictionSettings.objects.filter(region_id__in=wanted)}
    default = JurisdictionSettings()
    return {
        code: next((rows[a] for a in reversed(chain) if a in rows), default)
        for code, chain in chains.items()
    }
