"""What both flows' API serializers share: the fields of a row in a unit's hands, and a
history row."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class FlowRowSerializer(serializers.ModelSerializer):
    """A case or a suggestion: its step, category, units and whether it is overdue."""

    step_label = serializers.CharField(source="get_step_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    category_name = serializers.CharField(source="category.name", default=None, read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", default=None, read_only=True)
    co_units = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    def get_co_units(self, row) -> list[int]:
        return [unit.pk for unit in row.co_units.all()]

    def get_overdue(self, row) -> bool:
        return row.is_overdue()


class EventSerializer(serializers.ModelSerializer):
    """One history row; the sweeps' rows are the system's."""

    actor_name = serializers.SerializerMethodField()

    class Meta:
        fields = ["kind", "from_step", "to_step", "actor", "actor_name", "at", "note", "data"]

    def get_actor_name(self, event) -> str:
        if event.actor is None:
            return str(_("System"))
        return event.actor.get_full_name() or event.actor.first_name or event.actor.username
