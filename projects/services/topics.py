"""Collecting topics (征集议题): by staff, from cases, from the public site."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base.flow import NotAllowed, clean_text, raise_errors
from liaison.base.models import Region
from liaison.base.regions import RegionLevel, ancestor_codes
from liaison.base.scopes import scope_of
from liaison.base.validators import normalize_phone, validate_mobile
from projects.flow import PROJECTS
from projects.models import Category, Project, Source
from representatives.models import Representative
from stations.models import Station
from suggestions.cases.scopes import cases_visible_to
from suggestions.proposals.scopes import suggestions_visible_to

CONGRESS_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP)


def check_fields(errors: dict, *, region, category: str, title: str, description: str, cost):
    """The checks every topic meets, whoever brings it (one rule for forms and API)."""
    title = clean_text(errors, "title", title, max_length=200)
    description = clean_text(errors, "description", description, required=False, max_length=4000)
    if region is None or region.level not in CONGRESS_LEVELS:
        errors["region"] = [_("Choose a county or a township: their congresses vote.")]
    if category not in Category.values:
        errors["category"] = [_("Choose a category.")]
    if cost is not None and Decimal(cost) < 0:
        errors["estimated_cost"] = [_("The cost cannot be negative.")]
    return title, description


def _record(project: Project, actor, note: str = "") -> Project:
    project.save()
    PROJECTS.event(project, kind="collect", actor=actor, from_step="", note=note).save()
    return project


@transaction.atomic
def project_collect(
    *,
    actor,
    region: Region,
    year: int,
    title: str,
    category: str,
    description: str = "",
    estimated_cost: Decimal | None = None,
    station: Station | None = None,
) -> Project:
    """A topic brought by a committee (for its region), a station's liaison (for the
    station's township or county) or a representative (for their own congress)."""
    scope = scope_of(actor)
    errors: dict = {}
    title, description = check_fields(
        errors,
        region=region,
        category=category,
        title=title,
        description=description,
        cost=estimated_cost,
    )
    raise_errors(errors)
    proposer = None
    if scope.covers_region(region.code):
        source = Source.COMMITTEE
    elif station is not None and station.pk in scope.station_ids:
        if region.code not in ancestor_codes(station.region_id):
            raise ValidationError({"region": [_("The station is not in this region.")]})
        source = Source.STATION
    elif scope.representative_id is not None:
        proposer = Representative.objects.get(pk=scope.representative_id)
        if proposer.region_id != region.code:
            raise NotAllowed(_("A representative brings topics to their own congress."))
        source = Source.REPRESENTATIVE
    else:
        raise NotAllowed(_("You may not bring a topic for this region."))
    if source != Source.STATION:
        station = None
    project = Project(
        year=year,
        region=region,
        title=title,
        description=description,
        category=category,
        estimated_cost=estimated_cost,
        source=source,
        station=station,
        proposer=proposer,
        created_by=actor,
    )
    return _record(project, actor)


@transaction.atomic
def project_from_cases(
    *,
    actor,
    case_ids: list[int],
    region: Region,
    title: str,
    category: str,
    description: str = "",
    estimated_cost: Decimal | None = None,
    year: int | None = None,
) -> Project:
    """One topic from a case or a cluster of similar cases the actor may see. The cases'
    constituents stay in the cases: the topic carries only what the actor writes."""
    cases = list(cases_visible_to(actor).filter(pk__in=case_ids).select_related("station"))
    errors: dict = {}
    if not cases or len(cases) != len(set(case_ids)):
        errors["case_ids"] = [_("Choose cases you can see.")]
    title, description = check_fields(
        errors,
        region=region,
        category=category,
        title=title,
        description=description,
        cost=estimated_cost,
    )
    raise_errors(errors)
    scope = scope_of(actor)
    stations = {case.station_id for case in cases}
    if not scope.covers_region(region.code) and not stations <= scope.station_ids:
        raise NotAllowed(_("You may not bring a topic for this region."))
    for case in cases:
        if region.code not in ancestor_codes(case.region_id):
            raise ValidationError({"region": [_("A case is not in this region.")]})
    project = Project(
        year=year or timezone.localdate().year,
        region=region,
        title=title,
        description=description,
        category=category,
        estimated_cost=estimated_cost,
        source=Source.CASE,
        station=cases[0].station if len(stations) == 1 else None,
        created_by=actor,
    )
    _record(project, actor, note=" ".join(case.tracking_code for case in cases))
    project.cases.set(cases)
    return project


@transaction.atomic
def project_from_suggestion(
    *,
    actor,
    suggestion_id: int,
    region: Region,
    title: str,
    category: str,
    description: str = "",
    estimated_cost: Decimal | None = None,
    year: int | None = None,
) -> Project:
    """A topic from a representative suggestion, brought by the committee over the region
    (its lead representative is the proposer)."""
    suggestion = suggestions_visible_to(actor).filter(pk=suggestion_id).first()
    errors: dict = {}
    if suggestion is None:
        errors["suggestion_id"] = [_("Choose a suggestion you can see.")]
    title, description = check_fields(
        errors,
        region=region,
        category=category,
        title=title,
        description=description,
        cost=estimated_cost,
    )
    raise_errors(errors)
    if not scope_of(actor).covers_region(region.code):
        raise NotAllowed(_("You may not bring a topic for this region."))
    project = Project(
        year=year or timezone.localdate().year,
        region=region,
        title=title,
        description=description,
        category=category,
        estimated_cost=estimated_cost,
        source=Source.SUGGESTION,
        suggestion=suggestion,
        proposer_id=suggestion.lead_representative_id,
        created_by=actor,
    )
    return _record(project, actor, note=suggestion.number or "")


@transaction.atomic
def project_submit_public(
    *,
    region: Region,
    title: str,
    category: str,
    description: str,
    name: str,
    phone: str,
    estimated_cost: Decimal | None = None,
) -> Project:
    """A topic from the public site (民生实事我建议). The name and phone reach staff in
    scope only, to ask back; the topic is published once the committee screens it."""
    errors: dict = {}
    title, description = check_fields(
        errors,
        region=region,
        category=category,
        title=title,
        description=description,
        cost=estimated_cost,
    )
    name = clean_text(errors, "name", name, required=False, max_length=50)
    try:
        validate_mobile(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    raise_errors(errors)
    project = Project(
        year=timezone.localdate().year,
        region=region,
        title=title,
        description=description,
        category=category,
        estimated_cost=estimated_cost,
        source=Source.PUBLIC,
        contact_name=name,
        contact_phone=normalize_phone(phone),
    )
    return _record(project, None)
