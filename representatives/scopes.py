"""The representative role: a login linked to a representative acts as them."""

from django.db.models import Value
from django.db.models.functions import Cast

from liaison.base.scopes import TEXT
from representatives.models import Representative, RepresentativeGroup


def representative_roles(user):
    return Representative.objects.filter(user=user).values_list(
        Value("rep", output_field=TEXT), Cast("id", TEXT), Value("", output_field=TEXT)
    )


def group_roles(user):
    """A representative group's liaison (代表小组联络员) acts for the group."""
    return RepresentativeGroup.objects.filter(liaison=user).values_list(
        Value("group", output_field=TEXT), Cast("id", TEXT), Value("", output_field=TEXT)
    )
