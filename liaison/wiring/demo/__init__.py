"""The demo county behind ``manage.py seed_demo``: deterministic, and seeded once."""

import random
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from liaison.base import public_cache
from liaison.base.models import Region
from liaison.wiring.demo.cases import seed_cases
from liaison.wiring.demo.duty import seed_duty
from liaison.wiring.demo.people import seed_representatives
from liaison.wiring.demo.places import COUNTY, seed_regions, seed_stations, seed_units
from liaison.wiring.demo.projects import seed_projects
from liaison.wiring.demo.reception import seed_reception
from liaison.wiring.demo.suggestions import seed_suggestions
from liaison.wiring.demo.users import DEMO_LOGINS, seed_two_factor, seed_users
from liaison.wiring.demo.workarea import seed_workarea

SEED = 20210615  # 湘潭's first monthly reception day under the 2021 rules


def already_seeded() -> bool:
    return Region.objects.filter(code=COUNTY[0]).exists()


@transaction.atomic
def seed(*, password: str | None) -> tuple[bool, str | None]:
    """Creates the demo county unless it exists. Returns (created, password set or None)."""
    if already_seeded():
        if password:
            _reset_passwords(password)
        # A county seeded before suggestions existed gets them once.
        seed_suggestions(random.Random(SEED))
        # …and duty records once too.
        seed_duty(random.Random(SEED))
        # …and livelihood projects once too.
        seed_projects(random.Random(SEED))
        # …and the work area's document numbers and a scanned reply.
        seed_workarea()
        # …and the demo's two-factor devices.
        seed_two_factor()
        return False, password
    password = password or secrets.token_urlsafe(9)
    rng = random.Random(SEED)
    places = seed_regions(rng)
    stations = seed_stations(rng, places)
    units = seed_units(rng, places)
    people = seed_representatives(rng, places, stations)
    seed_reception(rng, stations)
    seed_users(password=password, places=places, stations=stations, units=units, people=people)
    seed_cases(rng, stations=stations, units=units)
    seed_suggestions(rng)
    seed_duty(rng)
    seed_projects(rng)
    seed_workarea()
    # Written in bulk, without signals: cached public pages render afresh.
    public_cache.bump_all()
    return True, password


def _reset_passwords(password: str) -> None:
    for user in get_user_model().objects.filter(username__in=DEMO_LOGINS):
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
