"""One demo login per role, plus the staff every station and unit needs."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.utils import timezone

from liaison.base.duties import AdminAssignment, AdminDuty
from liaison.base.models import CommitteeMembership
from liaison.base.totp import TwoFactorDevice
from liaison.wiring.staff.two_factor import requires_two_factor
from stations.models import StaffRole, StationStaff
from suggestions.models import UnitStaff

User = get_user_model()

# The demo's authenticator secret, printed by seed_demo and published in the README: the
# demo logins that must use two-factor login are enrolled with it, so that an outside
# tester (or a script, through `manage.py totp_code`) can sign in. Production accounts
# enrol their own device at their first login; nothing else ever uses this secret.
DEMO_TOTP_SECRET = "LIAISONDEMOTOTPSECRETFORTESTERS2"  # noqa: S105 (published on purpose)


def seed_users(*, password: str, places: dict, stations: list, units: list, people: list) -> list:
    hashed = make_password(password)
    county, first_township = places["county"], places["townships"][0]
    first_station = stations[0]
    sitting_here = [
        p
        for p in people
        if p.level == "county" and p.station_memberships.filter(station=first_station).exists()
    ]
    representative = sitting_here[0] if sitting_here else people[-1]

    logins = [
        ("admin", "系统管理员", "", None),
        ("committee", "县人大常委会联工委", "", county),
        ("township", f"{first_township.name}人大工委", "", first_township),
        ("city", "市人大常委会联工委", "", places["city"]),
        ("liaison", f"{first_station.name}联络员", "", None),
        ("unit", f"{units[0].name}经办人", "", None),
        ("representative", representative.name, "", None),
        # Separated duties (三员分立): accounts and roles; the audit.
        ("security", "安全管理员", "", None),
        ("auditor", "审计管理员", "", None),
    ]
    users = {}
    for username, first_name, last_name, _region in logins:
        users[username] = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            password=hashed,
            is_staff=username in ("admin", "security", "auditor"),
            is_superuser=username == "admin",
        )
    # A liaison for every other station and a clerk for every other unit, so the
    # demo county is fully staffed.
    for station in stations[1:]:
        users[f"liaison{station.pk}"] = User(
            username=f"liaison{station.pk}", first_name=f"{station.name}联络员", password=hashed
        )
    for unit in units[1:]:
        users[f"unit{unit.pk}"] = User(
            username=f"unit{unit.pk}", first_name=f"{unit.name}经办人", password=hashed
        )
    User.objects.bulk_create(users.values())
    saved = {user.username: user for user in User.objects.filter(username__in=users)}

    CommitteeMembership.objects.bulk_create(
        [
            CommitteeMembership(user=saved["committee"], region=county, title="联工委主任"),
            CommitteeMembership(
                user=saved["township"], region=first_township, title="人大工委主任"
            ),
            # Level 2 of the escalation lands here (the committee one region up).
            CommitteeMembership(user=saved["city"], region=places["city"], title="联工委干部"),
        ]
    )
    StationStaff.objects.bulk_create(
        [StationStaff(station=first_station, user=saved["liaison"], role=StaffRole.HEAD)]
        + [
            StationStaff(station=station, user=saved[f"liaison{station.pk}"])
            for station in stations[1:]
        ]
    )
    UnitStaff.objects.bulk_create(
        [UnitStaff(unit=units[0], user=saved["unit"])]
        + [UnitStaff(unit=unit, user=saved[f"unit{unit.pk}"]) for unit in units[1:]]
    )
    AdminAssignment.objects.bulk_create(
        [
            AdminAssignment(user=saved["admin"], duty=AdminDuty.SYSTEM),
            AdminAssignment(user=saved["security"], duty=AdminDuty.SECURITY),
            AdminAssignment(user=saved["auditor"], duty=AdminDuty.AUDIT),
        ]
    )
    # The security administrator manages accounts and their role rows, nothing else.
    saved["security"].user_permissions.set(
        Permission.objects.filter(
            content_type__model__in=["user", "committeemembership", "stationstaff", "unitstaff"]
        )
    )
    representative.user = saved["representative"]
    representative.save(update_fields=["user"])
    seed_two_factor()
    return [(username, first_name) for username, first_name, _last, _region in logins]


DEMO_LOGINS = [
    "admin",
    "committee",
    "township",
    "city",
    "liaison",
    "unit",
    "representative",
    "security",
    "auditor",
]


def seed_two_factor() -> list[str]:
    """Enrols, with the demo secret, each demo login that must use two-factor login and
    has no device yet (a demo seeded before two-factor login gets them on the next run).
    Returns the logins that now hold the demo secret."""
    enrolled = []
    for user in User.objects.filter(username__in=DEMO_LOGINS).order_by("pk"):
        if not requires_two_factor(user):
            continue
        device, _created = TwoFactorDevice.objects.get_or_create(
            user=user,
            defaults={"secret": DEMO_TOTP_SECRET, "confirmed_at": timezone.now()},
        )
        if device.secret == DEMO_TOTP_SECRET:
            enrolled.append(user.username)
    return enrolled
