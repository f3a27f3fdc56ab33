"""What invalidates the cached public pages (liaison/base/public_cache.py): a save or a
delete of a row they show bumps its kind's version, connected in ``WiringConfig.ready``.
``QuerySet.update`` and ``bulk_*`` send no signals: the services that write so call
``public_cache.bump`` themselves (reception days, plans, notices, imports, the demo)."""

from django.db.models.signals import post_delete, post_save

from duty.models import DutyReport
from liaison.base import public_cache
from liaison.base.models import Region
from representatives.models import Representative
from stations.models import (
    DutyAssignment,
    ReceptionDay,
    ReceptionNotice,
    Station,
    StationMembership,
)

KINDS_OF = {
    Region: ("region",),
    Station: ("station",),
    StationMembership: ("station", "representative"),
    Representative: ("representative",),
    DutyReport: ("representative",),
    ReceptionDay: ("reception",),
    DutyAssignment: ("reception",),
    ReceptionNotice: ("reception",),
}


def _changed(sender, **kwargs) -> None:
    public_cache.bump(*KINDS_OF[sender])


def connect() -> None:
    for model in KINDS_OF:
        uid = f"public-pages.{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
