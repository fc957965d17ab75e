"""Offer pages: offers in flight, the offer page (band bar, approval chain, actions), the
offer form, approving from the page, the home page or a signed e-mail link, the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_POST

from compensation.band_check import band_bar
from hiring import offer_selectors as selectors
from hiring.errors import DomainError
from hiring.forms.fields import MAX_ID
from hiring.forms.offers import DecisionForm, OfferForm, ReasonForm, SentForm, SubmitForm
from hiring.models import (
    LIVE_OFFER_STATUSES,
    Application,
    ApprovalStep,
    Offer,
    OfferClock,
    OfferStatus,
    StepApprover,
    StepStatus,
    UsedApprovalLink,
)
from hiring.offer_dashboard import dashboard_data
from hiring.offer_rules import EDITABLE, EDITABLE_FIELDS, REVISABLE
from hiring.permissions import can, requires
from hiring.selectors import applications_visible_to, requisitions_visible_to
from hiring.services import offers as services
from hiring.services.approvals import step_decide
from hiring.services.notifications import approval_link_payload
from roles.models import RoleProfile


def _int(value: str | None) -> int | None:
    if value and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def _form_errors(form: forms.Form, error: DomainError) -> None:
    placed = False
    for field, problems in error.fields.items():
        for problem in problems:
            if field in form.fields:
                form.add_error(field, problem)
                placed = True
    if not placed or error.status != 400:
        form.add_error(None, error.message)


def _offer(request: HttpRequest, pk: int) -> Offer:
    try:
        return selectors.offer_for_page(request.user, pk)
    except Offer.DoesNotExist:
        raise Http404("No such offer") from None


# Offers in flight -------------------------------------------------------------------------


@requires("offers.view")
def offer_list(request: HttpRequest) -> HttpResponse:
    requisition_id = _int(request.GET.get("requisition"))
    role = request.GET.get("role", "")[:60] or None
    clocks = selectors.in_flight(request.user, requisition_id=requisition_id, role_slug=role)
    page = Paginator(clocks, 50).get_page(request.GET.get("page"))
    rows = _flight_rows(list(page.object_list))
    context = {
        "page": page,
        "rows": rows,
        "recent": selectors.offers_visible_to(request.user)
        .filter(status__in=[OfferStatus.SENT, OfferStatus.ACCEPTED, OfferStatus.DECLINED])
        .select_related("application__candidate", "application__requisition")
        .order_by("-updated_at")[:10],
        "can_edit": can(request.user, "offers.edit"),
        **_filter_context(request, requisition_id, role),
    }
    return render(request, "hiring/offers/list.html", context)


def _flight_rows(clocks: list[OfferClock]) -> list[dict[str, Any]]:
    offers = {c.pk: (c.application.live_offers or [None])[0] for c in clocks}  # type: ignore[attr-defined]
    open_steps = selectors.open_step_names([o.pk for o in offers.values() if o])
    now = timezone.now()
    return [
        {
            "clock": clock,
            "application": clock.application,
            "offer": offers[clock.pk],
            "time": selectors.clock_view(clock, now),
            "waiting_on": selectors.waiting_on(offers[clock.pk], open_steps),
        }
        for clock in clocks
    ]


def _filter_context(request: HttpRequest, requisition_id: int | None, role: str | None) -> dict:
    return {
        "requisitions": requisitions_visible_to(request.user).order_by("title").only("pk", "title"),
        "roles": RoleProfile.objects.order_by("position").only("slug", "title"),
        "selected_requisition": requisition_id,
        "selected_role": role or "",
    }


# Create and edit --------------------------------------------------------------------------


@requires("offers.edit")
def offer_new(request: HttpRequest) -> HttpResponse:
    application_id = _int(request.POST.get("application") or request.GET.get("application"))
    application = (
        applications_visible_to(request.user)
        .select_related("candidate", "requisition__role", "requisition__level")
        .filter(pk=application_id or 0)
        .first()
    )
    if application is None:
        raise Http404("No such application")
    live = services.live_offer(application.pk)
    if live is not None:
        messages.info(request, f"{application.candidate.name} already has an offer: here it is.")
        return redirect("offers:detail", pk=live.pk)
    initial = {"level": application.requisition.level_id, "currency": "USD", "target_bonus": 0}
    form = OfferForm(request.POST or None, initial=initial, role_id=application.requisition.role_id)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(
                application=application, fields=dict(form.cleaned_data), actor=request.user
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Offer drafted. Check the band, then submit it.")
            return redirect("offers:detail", pk=offer.pk)
    context = {"form": form, "application": application, "offer": None, "band": _band(application)}
    return render(request, "hiring/offers/form.html", context)


@requires("offers.edit")
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk)
    if offer.status not in EDITABLE:
        messages.error(request, f"A {offer.get_status_display().lower()} offer is not edited.")
        return redirect("offers:detail", pk=offer.pk)
    initial = {name: getattr(offer, name) for name in EDITABLE_FIELDS}
    initial["level"] = offer.level_id
    role_id = offer.application.requisition.role_id
    form = OfferForm(request.POST or None, initial=initial, role_id=role_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(
                offer=offer,
                fields=dict(form.cleaned_data),
                actor=request.user,
                version=_int(request.POST.get("version")),
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            restarted = offer.status in (OfferStatus.PENDING, OfferStatus.APPROVED)
            messages.success(
                request,
                "Offer saved. The approval chain started again." if restarted else "Offer saved.",
            )
            return redirect("offers:detail", pk=offer.pk)
    context = {
        "form": form,
        "application": offer.application,
        "offer": offer,
        "band": _band(offer.application),
    }
    return render(request, "hiring/offers/form.html", context)


def _band(application: Application) -> Any:
    from compensation.selectors import band_for

    level = application.requisition.level
    return band_for(level_id=level.pk, currency="USD", on=timezone.localdate())


# The offer page ---------------------------------------------------------------------------


@requires("offers.view")
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk)
    return render(request, "hiring/offers/detail.html", offer_context(request, offer))


def offer_context(request: HttpRequest, offer: Offer) -> dict[str, Any]:
    check = services.offer_band_check(offer=offer)
    steps = list(offer.steps.all())
    current = [s for s in steps if s.round == offer.approval_round]
    earlier = [s for s in steps if s.round != offer.approval_round]
    seat = next(
        (
            a
            for s in current
            if s.status == StepStatus.PENDING
            for a in s.approvers.all()
            if a.user_id == request.user.pk and not a.decision
        ),
        None,
    )
    clock = OfferClock.objects.filter(application_id=offer.application_id).first()
    return {
        "offer": offer,
        "application": offer.application,
        "check": check,
        "bar": band_bar(check),
        "time": selectors.clock_view(clock),
        "current_steps": current,
        "earlier_steps": earlier,
        "seat": seat,
        "decision_form": DecisionForm(),
        "can_edit": can(request.user, "offers.edit"),
        "editable": offer.status in EDITABLE,
        "revisable": offer.status in REVISABLE,
        "live": offer.status in LIVE_OFFER_STATUSES,
        "revisions": Offer.objects.filter(application_id=offer.application_id)
        .exclude(pk=offer.pk)
        .order_by("-revision"),
        "today": timezone.localdate(),
    }


# Actions: submit, withdraw, send, accept, decline, rescind, revise --------------------------


def _submit(offer: Offer, request: HttpRequest) -> Offer:
    form = SubmitForm(request.POST)
    if not form.is_valid():  # never submit and drop the justification that was written
        raise DomainError(
            "The justification is at most 5,000 characters: shorten it, then submit.",
            fields={"justification": ["At most 5,000 characters."]},
        )
    justification = form.cleaned_data.get("justification")
    return services.offer_submit(offer=offer, actor=request.user, justification=justification)


def _send(offer: Offer, request: HttpRequest) -> Offer:
    form = SentForm(request.POST)
    if not form.is_valid():
        raise DomainError("Give the date the offer was sent.", fields={"sent_on": ["A date."]})
    return services.offer_mark_sent(
        offer=offer, actor=request.user, sent_on=form.cleaned_data.get("sent_on")
    )


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise DomainError("The reason is at most 200 characters.", fields={"reason": ["Too long."]})
    return form.cleaned_data.get("reason", "")


ACTIONS: dict[str, tuple[Callable[[Offer, HttpRequest], Offer], str]] = {
    "submit": (_submit, "Submitted for approval: the approvers have been notified."),
    "withdraw": (
        lambda o, r: services.offer_withdraw(offer=o, actor=r.user, reason=_reason(r)),
        "Back in draft: the approvals were cancelled.",
    ),
    "send": (_send, "Marked sent: the two-business-day clock has stopped."),
    "accept": (
        lambda o, r: services.offer_mark_accepted(offer=o, actor=r.user),
        "Accepted: the candidate is hired.",
    ),
    "decline": (
        lambda o, r: services.offer_mark_declined(offer=o, actor=r.user, reason=_reason(r)),
        "Marked declined.",
    ),
    "rescind": (
        lambda o, r: services.offer_rescind(offer=o, actor=r.user, reason=_reason(r)),
        "Offer rescinded.",
    ),
    "revise": (
        lambda o, r: services.offer_revise(offer=o, actor=r.user),
        "A new revision is in draft; the earlier offer stays in the history.",
    ),
}


@require_POST
@requires("offers.edit")
def offer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action")
    offer = _offer(request, pk)
    run, done = ACTIONS[action]
    try:
        result = run(offer, request)
    except DomainError as error:
        if action == "submit" and "justification" in error.fields:
            # Show the page again with the justification box open and the message beside it.
            context = offer_context(request, offer)
            context.update(
                submit_error=error.message,
                justification=request.POST.get("justification", ""),
            )
            return render(request, "hiring/offers/detail.html", context, status=400)
        messages.error(request, error.message)
        return redirect("offers:detail", pk=offer.pk)
    messages.success(request, done)
    return redirect("offers:detail", pk=result.pk)


# Approving --------------------------------------------------------------------------------


@require_POST
@requires("offers.view")
def offer_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject a step: from the offer page, or in place on the home page (htmx)."""
    offer = _offer(request, pk)
    form = DecisionForm(request.POST)
    htmx = request.headers.get("HX-Request") == "true"
    problem = done = ""
    if not form.is_valid():
        problem = "Choose approve or reject; comments are at most 2,000 characters."
    else:
        data = form.cleaned_data
        try:
            step_decide(
                offer=offer,
                step_id=data.get("step"),
                actor=request.user,
                approve=data["decision"] == "approve",
                comment=data.get("comment") or "",
            )
        except DomainError as error:
            problem = error.message
        else:
            done = _decided_message(offer.pk, approved=data["decision"] == "approve")
    if htmx:
        seat = _open_seat(request.user, offer.pk) if problem else None
        clock = OfferClock.objects.filter(application_id=offer.application_id).first()
        context = {
            "done": done,
            "problem": problem,
            "seat": seat,
            "offer": offer,
            "time": selectors.clock_view(clock),
        }
        return render(request, "hiring/offers/_approval_item.html", context)
    messages.add_message(request, messages.ERROR if problem else messages.SUCCESS, problem or done)
    return redirect("offers:detail", pk=offer.pk)


def _open_seat(user: Any, offer_id: int) -> StepApprover | None:
    return selectors.approvals_waiting_for(user).filter(step__offer_id=offer_id).first()


def _decided_message(offer_id: int, *, approved: bool) -> str:
    offer = Offer.objects.select_related("application__candidate").get(pk=offer_id)
    name = offer.application.candidate.name
    if not approved:
        return f"Rejected: the offer for {name} is back in draft with your comment."
    if offer.status == OfferStatus.APPROVED:
        return f"Approved. The offer for {name} is fully approved and can be sent."
    following = (
        ApprovalStep.objects.filter(
            offer_id=offer_id, round=offer.approval_round, status=StepStatus.PENDING
        )
        .values_list("name", flat=True)
        .first()
    )
    return f"Approved. The offer for {name} now waits for: {following or 'other approvers'}."


@requires("offers.view")
def approval_link(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link in an approver's e-mail: the decision page for that step and person."""
    try:
        payload = approval_link_payload(token)
    except signing.SignatureExpired:
        return _link_problem(request, "This approval link has expired.", status=410)
    except signing.BadSignature:
        return _link_problem(request, "This approval link is not valid.", status=400)
    step = ApprovalStep.objects.select_related("offer").filter(pk=_int(str(payload["s"]))).first()
    if step is None:
        return _link_problem(request, "The offer of this link no longer exists.", status=404)
    if payload["u"] != request.user.pk:
        return _link_problem(
            request,
            "This link was sent to another approver. Log in as that person, or open the offer "
            "from your own home page.",
            status=403,
            offer=step.offer,
        )
    nonce = str(payload["n"])
    if UsedApprovalLink.objects.filter(nonce=nonce).exists():
        return _link_problem(
            request, "This approval link has already been used.", status=410, offer=step.offer
        )
    offer = _offer(request, step.offer_id)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                step_decide(
                    offer=offer,
                    step_id=step.pk,
                    actor=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data.get("comment") or "",
                    link_nonce=nonce,
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                approved = form.cleaned_data["decision"] == "approve"
                messages.success(request, _decided_message(offer.pk, approved=approved))
                return redirect("offers:detail", pk=offer.pk)
        else:
            messages.error(request, "Choose approve or reject.")
    context = offer_context(request, offer)
    context.update(link_step=step, token=token)
    return render(request, "hiring/offers/approval_link.html", context)


def _link_problem(
    request: HttpRequest, message: str, *, status: int, offer: Offer | None = None
) -> HttpResponse:
    visible = (
        offer is not None and selectors.offers_visible_to(request.user).filter(pk=offer.pk).exists()
    )
    context = {"message": message, "offer": offer if visible else None}
    return render(request, "hiring/offers/link_problem.html", context, status=status)


# Dashboard --------------------------------------------------------------------------------


@requires("offers.dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    requisition_id = _int(request.GET.get("requisition"))
    role = request.GET.get("role", "")[:60] or None
    now = timezone.now()
    clocks = list(
        selectors.in_flight(request.user, requisition_id=requisition_id, role_slug=role)[:20]
    )
    context = {
        "periods": dashboard_data(
            request.user, now=now, requisition_id=requisition_id, role_slug=role
        ),
        "rows": _flight_rows(clocks),
        **_filter_context(request, requisition_id, role),
    }
    return render(request, "hiring/offers/dashboard.html", context)


def home_approvals(user: Any) -> list[dict[str, Any]]:
    """The home page's "Waiting for my approval": the user's open seats, soonest deadline
    first, each with its time left and band result."""
    seats = list(selectors.approvals_waiting_for(user)[:20])
    now = timezone.now()
    items = []
    for seat in seats:
        application = seat.step.offer.application
        clock = getattr(application, "offer_clock", None)
        items.append({"seat": seat, "time": selectors.clock_view(clock, now)})
    return items


urlpatterns: list[URLPattern] = [
    path("", offer_list, name="list"),
    path("new/", offer_new, name="new"),
    path("dashboard/", dashboard, name="dashboard"),
    path("approve/<str:token>/", approval_link, name="approval-link"),
    path("<int:pk>/", offer_detail, name="detail"),
    path("<int:pk>/edit/", offer_edit, name="edit"),
    path("<int:pk>/decide/", offer_decide, name="decide"),
    path("<int:pk>/<slug:action>/", offer_action, name="action"),
]
