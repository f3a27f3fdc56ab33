"""Cases replied before ``replied_on_time`` existed (0013 added it empty): fill it in from
their history.

A reply clears the case's deadline, so the deadline in force at the reply is read back
from the append-only events: each move that set a deadline is replayed in order (the
reception's stored deadline; registration and send-back, assignment, a suggestion's
months, an approved extension, a follow-up's date, a reopening), with the jurisdiction's
rules and the working-day calendar the services use (``suggestions.shared.deadlines``),
and the case's last reply is judged by the services' own rule (``deadlines.on_time``).
A case with no reply in its history (bulk-loaded) keeps none: the figures leave it out
of the on-time rate's base.

In batches of cases, each committed on its own (``atomic = False``): only cases still
without a value are read, so a run stopped half-way, or a second run, redoes nothing.
"""

from django.db import migrations
from django.utils import timezone

BATCH = 1000
REPLIES = {"reply", "reply_in_progress", "answer_consultation"}
REGISTRATION = {"register", "send_back"}
ASSIGNMENT = {"assign_on_spot", "refer_by_letter", "report_to_township"}
REOPENING = {"reopen", "reopen_on_rating"}
# Moves after which no deadline is due (closing moves never precede a reply).
NO_DEADLINE = {"conclude_follow_up"}
KINDS = (
    REPLIES
    | REGISTRATION
    | ASSIGNMENT
    | REOPENING
    | NO_DEADLINE
    | {"receive", "to_suggestion", "request_extension", "approve_extension"}
)


def _date(value):
    import datetime as dt

    return dt.date.fromisoformat(value) if value else None


def _rules(apps, codes):
    """The rules in force per region: its own, its nearest ancestor's, or the defaults
    (``liaison.base.jurisdiction.settings_for``, on the historical model)."""
    from liaison.base.regions import ancestor_codes

    JurisdictionSettings = apps.get_model("liaison", "JurisdictionSettings")
    chains = {code: ancestor_codes(code) for code in codes}
    wanted = {ancestor for chain in chains.values() for ancestor in chain}
    rows = {row.region_id: row for row in JurisdictionSettings.objects.filter(region_id__in=wanted)}
    default = JurisdictionSettings()
    return {
        code: next((rows[a] for a in reversed(chain) if a in rows), default)
        for code, chain in chains.items()
    }


def verdict(events, rules):
    """On time or not, for the last reply of one case's events (in order); None if the
    history holds no reply."""
    from suggestions.shared import deadlines

    deadline, requested, result = None, None, None
    for kind, at, data in events:
        day = timezone.localdate(at)
        data = data or {}
        if kind in REPLIES:
            result = deadlines.on_time(day, deadline)
            deadline = _date(data.get("next_reply_on")) if kind == "reply_in_progress" else None
        elif kind == "receive":
            deadline = _date((data.get("deadline") or {}).get("date"))
        elif kind in REGISTRATION:
            rule = "disposition"
            deadline = deadlines.in_workdays(
                start=day, workdays=rules.registration_workdays, rule=rule
            )[0]
        elif kind in ASSIGNMENT or kind in REOPENING:
            workdays = data.get("workdays") or rules.reply_workdays
            deadline = deadlines.in_workdays(start=day, workdays=workdays, rule="reply")[0]
        elif kind == "to_suggestion":
            months = rules.suggestion_reply_months
            deadline = deadlines.in_months(start=day, months=months, rule="suggestion")[0]
        elif kind == "request_extension":
            requested = _date(data.get("until"))
        elif kind == "approve_extension":
            deadline, requested = requested or deadline, None
        elif kind in NO_DEADLINE:
            deadline = None
    return result


def fill_replied_on_time(apps, schema_editor):
    Case = apps.get_model("suggestions", "Case")
    CaseEvent = apps.get_model("suggestions", "CaseEvent")
    todo = Case.objects.filter(replied_at__isnull=False, replied_on_time__isnull=True)
    after = 0
    while True:
        batch = dict(
            todo.filter(pk__gt=after).order_by("pk").values_list("pk", "region_id")[:BATCH]
        )
        if not batch:
            return
        after = max(batch)
        rules = _rules(apps, set(batch.values()))
        history = {pk: [] for pk in batch}
        events = (
            CaseEvent.objects.filter(case_id__in=batch, kind__in=KINDS)
            .order_by("case_id", "at", "id")
            .values_list("case_id", "kind", "at", "data")
        )
        for case_id, kind, at, data in events:
            history[case_id].append((kind, at, data))
        found = {True: [], False: []}
        for pk, region in batch.items():
            result = verdict(history[pk], rules[region])
            if result is not None:
                found[result].append(pk)
        for value, ids in found.items():
            if ids:
                todo.filter(pk__in=ids).update(replied_on_time=value)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("suggestions", "0014_merge_constituent_loop_and_figures"),
        ("liaison", "0013_case_send_back_and_callback_rules"),
    ]

    operations = [
        migrations.RunPython(fill_replied_on_time, migrations.RunPython.noop, elidable=True),
    ]
