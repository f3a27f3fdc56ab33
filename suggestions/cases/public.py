"""The public case pages: submit an opinion, look up its status, read published outcomes.

Thin: the forms validate, ``suggestions.online`` writes and looks up, the rate limits
(``liaison.ratelimit``) answer 429 with a message in the visitor's language.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import engines
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from liaison.base.flow import FlowError
from liaison.base.ratelimit import client_ip, hit, hit_and_check
from liaison.base.shells import Shells, marker
from stations import places
from suggestions.cases import online, selectors, services, tracking
from suggestions.cases.filters import OutcomeFilter
from suggestions.cases.flow import CASES
from suggestions.cases.models import Case, ReplyResult, Satisfaction, Step
from suggestions.cases.online import status_limits, submit_limits
from suggestions.cases.public_forms import RatingForm, StatusForm, SubmitForm

_THROTTLED = gettext_lazy("Too many attempts from here. Please wait a while and try again.")


def _too_many(request, template: str, context: dict):
    context["throttled"] = _THROTTLED
    return render(request, template, context, status=429)


# What the place picker's "show" buttons reset below the level they show (no JavaScript).
_PICK_RESETS = {"county": ("region", "station"), "region": ("station",)}


def _with_notice() -> dict:
    """What the notice on personal data of the opinion form names: its version, and the
    years after which the data is erased (none shown when it never is)."""
    days = settings.ANONYMISE_AFTER_DAYS
    return {
        "notice_version": settings.PRIVACY_NOTICE_VERSION,
        "anonymise_years": max(1, round(days / 365)) if days else 0,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def case_submit(request):
    if request.method != "POST":
        # ?station= comes from the station's page and QR code; ?region= and ?county=
        # preselect a place the same way. Unknown values preselect nothing.
        initial = {k: request.GET.get(k) for k in ("county", "region", "station")}
        form = SubmitForm(initial=initial)
        return render(request, "public/case_submit.html", _with_notice() | {"form": form})
    if request.POST.get("pick") in _PICK_RESETS:
        # Without JavaScript the picker posts the form to show the next level's choices:
        # the page comes back with what was typed and nothing is sent or counted. POST,
        # not GET, so the name and phone typed never land in a URL or an access log.
        kept = {name: request.POST.get(name) for name in SubmitForm.base_fields}
        for name in (*_PICK_RESETS[request.POST["pick"]], "website"):
            kept.pop(name)
        form = SubmitForm(initial=kept)
        return render(
            request, "public/case_submit.html", _with_notice() | {"form": form, "picked": True}
        )
    per_ip, per_phone = submit_limits()
    if not hit(per_ip, client_ip(request)):
        return _too_many(
            request, "public/case_submit.html", _with_notice() | {"form": SubmitForm()}
        )
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return render(
            request, "public/case_submit.html", _with_notice() | {"form": form}, status=400
        )
    data = form.cleaned_data
    if not hit(per_phone, data["phone"]):
        return _too_many(request, "public/case_submit.html", _with_notice() | {"form": form})
    # A double click or a resent form arrives twice: the same phone and text within a day
    # is one opinion.
    fingerprint = hashlib.sha256(f"{data['phone']}\n{data['description']}".encode()).hexdigest()
    if not cache.add(f"submitted:{fingerprint}", 1, timeout=86400):
        form.add_error(
            None,
            _("This opinion was already received. Its tracking code was sent to your phone."),
        )
        return render(
            request, "public/case_submit.html", _with_notice() | {"form": form}, status=400
        )
    try:
        case = online.case_submit_online(
            station=data["station"],
            category=data["category"],
            name=data["name"],
            phone=data["phone"],
            title=data["title"],
            description=data["description"],
            notice_version=settings.PRIVACY_NOTICE_VERSION,
        )
    except ValidationError as error:
        cache.delete(f"submitted:{fingerprint}")
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return render(
            request, "public/case_submit.html", _with_notice() | {"form": form}, status=400
        )
    return render(request, "public/case_submitted.html", {"case": case})


@never_cache
@require_http_methods(["GET", "POST"])
def case_status(request):
    if request.method != "POST":
        # The SMS links here with the code filled in; the check is typed, never linked.
        code = tracking.normalize(request.GET.get("code", "")) or ""
        return _status_response(request, {"code": code})
    form = StatusForm(request.POST)
    found = _look_up(request, form)
    if not isinstance(found, Case):
        return found
    return _status_page(
        request, selectors.with_public_steps(found), check=form.cleaned_data["check"]
    )


@never_cache
@require_POST
def case_rate(request):
    """The constituent's rating, posted from the status page with the code and check."""
    form = RatingForm(request.POST)
    found = _look_up(request, form, template_form=StatusForm(request.POST))
    if not isinstance(found, Case):
        return found
    check = form.cleaned_data["check"]
    if not form.is_valid():
        case = selectors.with_public_steps(found)
        return _status_page(request, case, check=check, rating_form=form, status=400)
    try:
        services.case_rate(
            case_id=found.pk,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
        )
    # Read again after the rating (or a refusal): the row may have moved meanwhile.
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        case = selectors.public_case_status(found.pk)
        return _status_page(request, case, check=check, rating_form=form, status=400)
    except FlowError as error:
        case = selectors.public_case_status(found.pk)
        return _status_page(request, case, check=check, notice=error.message, status=409)
    case = selectors.public_case_status(found.pk)
    return _status_page(request, case, check=check, notice=_("Thank you: your rating is recorded."))


def _look_up(request, form, *, template_form=None):
    """The case whose code and check the form carries, or the page that says why not
    (429 over the limits, 400 malformed, 404 no such case and check)."""
    per_ip, per_code = status_limits()
    shown = template_form or form
    shown.is_valid()
    code, check = request.POST.get("code", ""), request.POST.get("check", "")
    # Both limits in one round trip: the address counts, the code's wrong checks are read.
    allowed, code_spent = hit_and_check(
        per_ip, client_ip(request), per_code, tracking.normalize(code)
    )
    if not allowed:
        return _status_response(request, {"form": shown, "throttled": _THROTTLED}, status=429)
    if not form.is_valid() and ({"code", "check"} & set(form.errors)):
        return _status_response(request, {"form": shown}, status=400)
    # After too many wrong checks on one code even the right one waits: no guessing
    # the four digits. (Counted per code whether or not a case has it: no query needed.)
    if code_spent:
        return _status_response(request, {"form": shown, "throttled": _THROTTLED}, status=429)
    lookup = online.case_status_lookup(code=code, check=check)
    if lookup.case is None:
        if lookup.code:
            hit(per_code, lookup.code)
        shown.add_error(None, _("No case matches this tracking code and check."))
        return _status_response(request, {"form": shown}, status=404)
    return lookup.case


def _status_page(request, case, *, check, rating_form=None, notice="", status=200):
    """``case`` from ``selectors.public_case_status`` or ``with_public_steps``."""
    # The constituent's own rating of the current reply, shown by its label.
    rated = _RATINGS.get(case.own_rating, case.own_rating)
    may_rate = case.step in CASES["rate"].sources and rated is None
    if may_rate and rating_form is None:
        rating_form = RatingForm(initial={"code": case.tracking_code, "check": check})
    context = {
        "code": case.tracking_code,
        "case": case,
        "timeline": CASES.timeline(case.public_events),
        "rated": _("You rated this reply: %(rating)s.") % {"rating": rated} if rated else "",
        "rating_form": rating_form if may_rate else None,
        "notice": notice,
    }
    return _status_response(request, context, status=status)


# Labels by value, translated when shown: the models' get_..._display() translate every
# label of the field on each call.
_STEPS, _RESULTS = dict(Step.choices), dict(ReplyResult.choices)
_RATINGS = dict(Satisfaction.choices)


def _status_response(request, context: dict, *, status: int = 200):
    """The status page: ``context`` for its body (jinja2/public/case_status.html), with
    ``form`` (the bound lookup form, shown with what was typed and its errors) or ``code``
    (the blank one, filled in with a code or none)."""
    token = get_token(request)  # one token for both forms
    form = context.pop("form", None)
    if form is None:
        code = context.pop("code")
        lookup = _blank_lookups.get((*_place(), bool(code))).fill(
            {"csrf_token": token, "code": code}
        )
    else:
        lookup = _render("public/status_lookup.html", {"form": form, "csrf_token": token})
    body = _render(
        "public/case_status.html",
        {
            "throttled": "",
            "case": None,
            **context,
            "lookup": lookup,
            "csrf_token": token,
            "steps": _STEPS,
            "results": _RESULTS,
        },
    )
    # Without the context processors (the user, the messages…): the frame reads the
    # request's path and nothing else, and they cost half of what the frame does.
    page = render_to_string("public/case_status.html", {"body": body, "request": request})
    return HttpResponse(page, status=status)


def _render(name: str, context: dict) -> SafeString:
    # Autoescaped (the backend turns autoescape on): HTML as it stands.
    return mark_safe(engines["jinja2"].get_template(name).render(context))  # noqa: S308


def _place() -> tuple:
    """What the blank lookup form's words and action depend on besides the code."""
    return get_language(), get_script_prefix(), get_urlconf()


def _blank_lookup(key: tuple) -> str:
    """The blank lookup form of a language, with markers for the token and the code (none
    when the code is left out: the field then has no value at all)."""
    with_code = key[-1]
    form = StatusForm(initial={"code": marker("code") if with_code else ""})
    return _render("public/status_lookup.html", {"form": form, "csrf_token": marker("csrf_token")})


# Rendered once per language: the blank form was most of a found case's page.
_blank_lookups = Shells(_blank_lookup)


def outcome_list(request):
    filterset, pick = places.region_filter(
        OutcomeFilter, request.GET, selectors.published_outcomes()
    )
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    return render(
        request, "public/outcome_list.html", {"filter": filterset, "pick": pick, "page": page}
    )
