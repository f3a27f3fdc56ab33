"""What schedules the recompute (``recompute.py``): receivers of the saves and deletes of
working-day adjustments and jurisdiction rules, connected in ``WiringConfig.ready``."""

from django.db.models.signals import post_delete, post_save, pre_save

from liaison.base.jurisdiction import settings_for
from liaison.base.models import JurisdictionSettings, WorkdayAdjustment
from liaison.base.tasks import publish_after_commit
from liaison.wiring.recompute import SWEEP_RULES
from liaison.wiring.tasks import refresh_dates_around, refresh_dates_of_region


def _adjustment_before(sender, instance: WorkdayAdjustment, **kwargs) -> None:
    previous = WorkdayAdjustment.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._previous_date = previous.date if previous else None


def _adjustment_changed(sender, instance: WorkdayAdjustment, **kwargs) -> None:
    days = {instance.date, getattr(instance, "_previous_date", None)} - {None}
    # After commit: the task reads the committed calendar, and a rollback schedules nothing.
    # A calendar change is rare and must not be lost: without a broker it runs here.
    publish_after_commit(
        refresh_dates_around,
        inline_if_down=True,
        days=sorted(day.isoformat() for day in days),
    )


def _rules_before(sender, instance: JurisdictionSettings, **kwargs) -> None:
    # What the region followed before this save: its own row, or its nearest ancestor's.
    if instance.region_id:
        instance._previous_rules = settings_for(instance.region_id)


def _rules_saved(sender, instance: JurisdictionSettings, **kwargs) -> None:
    _rules_changed(instance.region_id, getattr(instance, "_previous_rules", None), instance)


def _rules_deleted(sender, instance: JurisdictionSettings, **kwargs) -> None:
    _rules_changed(instance.region_id, instance, settings_for(instance.region_id))


def _rules_changed(region_code: str, before, after: JurisdictionSettings) -> None:
    before = before or JurisdictionSettings()
    lead_changed = before.notice_lead_workdays != after.notice_lead_workdays
    sweep_rules = any(getattr(before, rule) != getattr(after, rule) for rule in SWEEP_RULES)
    if lead_changed or sweep_rules:
        publish_after_commit(
            refresh_dates_of_region,
            inline_if_down=True,
            region_code=region_code,
            previous_lead=before.notice_lead_workdays if lead_changed else None,
            sweep_dates=sweep_rules,
        )


def connect() -> None:
    uid = "liaison.recompute"
    pre_save.connect(_adjustment_before, sender=WorkdayAdjustment, dispatch_uid=f"{uid}.a0")
    post_save.connect(_adjustment_changed, sender=WorkdayAdjustment, dispatch_uid=f"{uid}.a1")
    post_delete.connect(_adjustment_changed, sender=WorkdayAdjustment, dispatch_uid=f"{uid}.a2")
    pre_save.connect(_rules_before, sender=JurisdictionSettings, dispatch_uid=f"{uid}.r0")
    post_save.connect(_rules_saved, sender=JurisdictionSettings, dispatch_uid=f"{uid}.r1")
    post_delete.connect(_rules_deleted, sender=JurisdictionSettings, dispatch_uid=f"{uid}.r2")
