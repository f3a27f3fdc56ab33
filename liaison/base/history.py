"""Append-only history rows: the base of CaseEvent and SuggestionEvent.

Every change to a case or a suggestion leaves one row: who, when, what kind of move,
a note and data. History is never edited: saving an existing row, ``update`` and
``delete`` raise ``ImmutableEvent``, and on PostgreSQL a trigger (in each model's
migration) refuses UPDATE and DELETE as well.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableEvent(Exception):
    """History is append-only."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEvent("History is never updated.")

    def delete(self):
        raise ImmutableEvent("History is never deleted.")


class Event(models.Model):
    kind = models.CharField(_("kind"), max_length=30)
    # PROTECT: a user who left history behind is deactivated, not deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the system (scheduled sweeps)."),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEvent("History is never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEvent("History is never deleted.")
