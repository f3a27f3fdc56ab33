"""The public pages of livelihood projects (/projects/): the year's topics and figures,
the vote's result, each project's progress and ratings, and the topic form. Nothing
personal: no contact of whoever brought a topic, no name of who rated."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from liaison.base.models import Region
from liaison.base.ratelimit import Limit, client_ip, hit
from projects import selectors
from projects.models import Project
from projects.public_forms import TopicForm
from projects.services.topics import project_submit_public
from suggestions.cases.online import submit_limits


def _year(request) -> int:
    value = request.GET.get("year", "")
    return (
        int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year
    )


def project_list(request):
    year = _year(request)
    code = request.GET.get("region", "")
    region = Region.objects.filter(code=code).first() if code.isdigit() else None
    rows = selectors.public_projects(year=year, region=region)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/public/list.html",
        {
            "year": year,
            "region": region,
            "figures": selectors.figures(year=year, region=region),
            "votes": selectors.published_votes(year=year).order_by("region_id")[:50],
            "page": page,
        },
    )


def project_detail(request, pk: int):
    try:
        project = selectors.public_project(pk)
    except Project.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "projects/public/detail.html",
        {"project": project, "ratings": selectors.rating_table(project)},
    )


def vote_detail(request, pk: int):
    vote = get_object_or_404(selectors.published_votes(), pk=pk)
    return render(
        request,
        "projects/public/vote.html",
        {"vote": vote, "tallies": selectors.vote_result(vote), "events": vote.events.all()},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def topic_submit(request):
    if request.method != "POST":
        form = TopicForm(initial={"region": request.GET.get("region")})
        return render(request, "projects/public/submit.html", {"form": form})
    per_ip, per_phone = submit_limits()
    form = TopicForm(request.POST)
    if not hit(Limit("topic-" + per_ip.name, per_ip.hits, per_ip.seconds), client_ip(request)):
        return _too_many(request, form)
    if not form.is_valid():
        return render(request, "projects/public/submit.html", {"form": form}, status=400)
    data = form.cleaned_data
    if not hit(Limit("topic-" + per_phone.name, per_phone.hits, per_phone.seconds), data["phone"]):
        return _too_many(request, form)
    try:
        project_submit_public(
            region=data["region"],
            title=data["title"],
            category=data["category"],
            description=data["description"],
            name=data["name"],
            phone=data["phone"],
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return render(request, "projects/public/submit.html", {"form": form}, status=400)
    return render(request, "projects/public/submitted.html", {})


def _too_many(request, form):
    context = {
        "form": form,
        "throttled": _("Too many attempts from here. Please wait a while and try again."),
    }
    return render(request, "projects/public/submit.html", context, status=429)
