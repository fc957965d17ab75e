"""The candidate's page (public: the signed link is the key): pick a slot, see it booked,
move it once. Nothing internal is shown: the role, the round, the length, the times, and
whom to contact."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from assessments.rules import InterviewStatus
from hiring.scheduling.forms import PickForm
from hiring.scheduling.models import SlotLink
from hiring.scheduling.selectors.pages import contact, pick_page, zone_or_company
from hiring.scheduling.services.booking import SlotTaken, slot_book
from hiring.scheduling.services.links import SlotLinkProblem, link_problem, slot_link_find

PAGE, PROBLEM = "scheduling/pick.html", "scheduling/problem.html"


def _problem(request: HttpRequest, problem: SlotLinkProblem) -> HttpResponse:
    who = contact(problem.link) if problem.link is not None else None
    context = {"problem": problem.message, "contact": who}
    return render(request, PROBLEM, context, status=problem.status)


def _slots(
    request: HttpRequest, link: SlotLink, zone: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = pick_page(link, zone=zone_or_company(zone), now=timezone.now())
    context.update(mode="slots", error=error, zone_form=True)
    return render(request, PAGE, context, status=status)


@require_http_methods(["GET", "POST"])
def pick(request: HttpRequest, token: str) -> HttpResponse:
    zone = zone_or_company(request.POST.get("tz") or request.GET.get("tz")).key
    try:
        link = slot_link_find(token)
        if request.method == "POST":
            return _book(request, token, link, zone)
        problem = link_problem(link, now=timezone.now())
        booked = link.interview is not None and link.interview.status != InterviewStatus.CANCELLED
        if problem is not None and (not booked or request.GET.get("change") == "1"):
            raise problem
    except SlotLinkProblem as refused:
        return _problem(request, refused)
    if not booked or request.GET.get("change") == "1":
        return _slots(request, link, zone)
    context = pick_page(link, zone=zone_or_company(zone), now=timezone.now(), slots=[])
    context.update(mode="booked", notice=problem.message if problem else "", zone_form=True)
    context["can_change"] = problem is None
    context["just_booked"] = request.GET.get("booked") == "1"
    return render(request, PAGE, context)


def _book(request: HttpRequest, token: str, link: SlotLink, zone: str) -> HttpResponse:
    form = PickForm(request.POST)
    if not form.is_valid():
        return _slots(request, link, zone, error="Pick one of the times shown.", status=400)
    try:
        slot_book(token=token, starts_at=form.cleaned_data["start"])
    except SlotTaken as taken:
        return _slots(request, slot_link_find(token), zone, error=taken.message, status=409)
    return redirect(f"{reverse('scheduling:pick', args=[token])}?tz={zone}&booked=1")
