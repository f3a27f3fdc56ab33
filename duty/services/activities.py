"""Activities: recorded (confirmed at once by whoever organises them, or waiting for
them when a representative records one), returned, submitted again, edited, withdrawn;
and the cases an inspection's findings raise (``raise_case``)."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from duty.flow import ACTIVITIES, organises
from duty.models import Activity, ActivityKind, ActivityStatus, Organiser
from duty.notices import activity_to_confirm
from duty.scopes import records_visible_to
from liaison.base.flow import NotAllowed, clean_text, raise_errors
from liaison.base.scopes import scope_of
from representatives.models import Representative, RepresentativeGroup
from stations.models import Station, StationMembership

MAX_PEOPLE = 100_000


def _fields(errors, *, kind, title, date, place, summary, people_reached, representatives):
    if kind not in ActivityKind.values:
        errors["kind"] = [_("Choose the kind of activity.")]
    title = clean_text(errors, "title", title, max_length=200)
    place = clean_text(errors, "place", place, max_length=200)
    summary = clean_text(errors, "summary", summary, required=False, max_length=5000)
    if not isinstance(date, dt.date):
        errors["date"] = [_("Enter the date.")]
    if people_reached is None or not 0 <= people_reached <= MAX_PEOPLE:
        errors["people_reached"] = [_("Enter a number of people from 0 to 100000.")]
    if not representatives:
        errors["representatives"] = [_("Name at least one representative who took part.")]
    return title, place, summary


def _organiser(errors, organiser, group, station, region_id):
    """The organiser's region (a group's, a station's, or the committee's given one)."""
    if organiser == Organiser.GROUP and group is not None:
        return group.region_id
    if organiser == Organiser.STATION and station is not None:
        return station.region_id
    if organiser == Organiser.COMMITTEE and region_id:
        return region_id
    errors["organiser"] = [_("Say who organised it: a group, a station or a committee.")]
    return None


def _representative_may_record(rep_id: int, activity: Activity, representatives) -> bool:
    """A representative records only activities they took part in, of a group they belong
    to or a station they sit in (a committee's activity in any case)."""
    if rep_id not in {r.pk for r in representatives}:
        return False
    if activity.group_id is not None:
        return RepresentativeGroup.objects.filter(pk=activity.group_id, members=rep_id).exists()
    if activity.station_id is not None:
        return (
            StationMembership.objects.current(activity.date)
            .filter(station_id=activity.station_id, representative_id=rep_id)
            .exists()
        )
    return True


@transaction.atomic
def activity_record(
    *,
    actor: AbstractBaseUser,
    kind: str,
    title: str,
    date: dt.date,
    place: str,
    organiser: str,
    representatives: Iterable[Representative],
    summary: str = "",
    people_reached: int = 0,
    group: RepresentativeGroup | None = None,
    station: Station | None = None,
    region_id: str | None = None,
) -> Activity:
    """Record an activity. Its organiser's staff record it confirmed; a representative
    who took part records it to be confirmed by them."""
    representatives = list(representatives)
    errors: dict = {}
    title, place, summary = _fields(
        errors,
        kind=kind,
        title=title,
        date=date,
        place=place,
        summary=summary,
        people_reached=people_reached,
        representatives=representatives,
    )
    region = _organiser(errors, organiser, group, station, region_id)
    raise_errors(errors)
    activity = Activity(
        kind=kind,
        title=title,
        date=date,
        place=place,
        summary=summary,
        people_reached=people_reached,
        organiser=organiser,
        group=group if organiser == Organiser.GROUP else None,
        station=station if organiser == Organiser.STATION else None,
        region_id=region,
        recorded_by=actor,
    )
    if organises(actor, activity):
        check_representatives(representatives, records_visible_to(actor))
        activity.status = ActivityStatus.CONFIRMED
    else:
        rep_id = scope_of(actor).representative_id
        if rep_id is None or not _representative_may_record(rep_id, activity, representatives):
            raise NotAllowed(_("You may not record an activity for this organiser."))
        activity.status = ActivityStatus.RECORDED
    activity.save()
    activity.representatives.set(representatives)
    ACTIVITIES.event(activity, kind="record", actor=actor, from_step="", data={"kind": kind}).save()
    if activity.status == ActivityStatus.RECORDED:
        activity_to_confirm(activity)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity_id: int,
    actor: AbstractBaseUser,
    kind: str,
    title: str,
    date: dt.date,
    place: str,
    representatives: Iterable[Representative],
    summary: str = "",
    people_reached: int = 0,
) -> Activity:
    """Correct an activity (not its organiser): the recorder before it is confirmed, the
    organiser's staff at any time."""
    move = ACTIVITIES.start("edit", pk=activity_id, actor=actor)
    activity, representatives = move.row, list(representatives)
    title, place, summary = _fields(
        move.errors,
        kind=kind,
        title=title,
        date=date,
        place=place,
        summary=summary,
        people_reached=people_reached,
        representatives=representatives,
    )
    before = {
        "kind": activity.kind,
        "title": activity.title,
        "date": activity.date.isoformat(),
        "people_reached": activity.people_reached,
    }
    activity.kind, activity.title, activity.date = kind, title, date
    activity.place, activity.summary, activity.people_reached = place, summary, people_reached
    move.check()
    activity.representatives.set(representatives)
    return move.finish(
        changed=["kind", "title", "date", "place", "summary", "people_reached"],
        data={"before": before},
    )


@transaction.atomic
def activity_confirm(*, activity_id: int, actor: AbstractBaseUser) -> Activity:
    return ACTIVITIES.start("confirm", pk=activity_id, actor=actor).finish()


@transaction.atomic
def activity_return(*, activity_id: int, actor: AbstractBaseUser, reason: str) -> Activity:
    move = ACTIVITIES.start("return", pk=activity_id, actor=actor)
    move.row.return_reason = move.text("reason", reason, max_length=500)
    return move.finish(changed=["return_reason"], note=move.row.return_reason)


@transaction.atomic
def activity_resubmit(*, activity_id: int, actor: AbstractBaseUser) -> Activity:
    move = ACTIVITIES.start("resubmit", pk=activity_id, actor=actor)
    activity = move.finish()
    activity_to_confirm(activity)
    return activity


@transaction.atomic
def activity_withdraw(*, activity_id: int, actor: AbstractBaseUser, reason: str) -> Activity:
    move = ACTIVITIES.start("withdraw", pk=activity_id, actor=actor)
    note = move.text("reason", reason, max_length=500)
    return move.finish(note=note)


def check_representatives(representatives, visible) -> None:
    """Staff name only representatives whose record they may see."""
    allowed = set(
        visible.filter(pk__in=[r.pk for r in representatives]).values_list("pk", flat=True)
    )
    if any(r.pk not in allowed for r in representatives):
        raise ValidationError({"representatives": [_("Choose representatives of your region.")]})
