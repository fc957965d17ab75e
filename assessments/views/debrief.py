"""The debrief (every submitted scorecard side by side, the hiring manager's decision) and
calibration.

Thin views: they find what the user may see (anything else is a 404), call one service or
selector, and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from assessments.forms.interviews import DecisionForm
from assessments.models import Decision, DecisionOutcome
from assessments.selectors import calibration as calibration_selectors
from assessments.selectors import debrief as selectors
from assessments.selectors.interviews import debrief_application, may_decide
from assessments.services.decisions import decision_record
from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.permissions import SignedInRequest, requires
from hiring.pipeline.models import Application


@requires("debrief.view")
def debrief(request: SignedInRequest, application_id: int) -> HttpResponse:
    application = debrief_application(request.user, application_id)
    context = selectors.debrief_page(application, user=request.user)
    data = request.POST if request.method == "POST" else None
    form = DecisionForm(data, against_evidence=context["against_evidence"])
    if form.is_bound and (decision := _decide(request, application, form)):
        messages.success(request, _decided_message(decision))
        return redirect("interviews:debrief", application_id=application.pk)
    context["form"] = form
    status = 400 if form.errors else 200
    return render(request, "assessments/interviews/debrief.html", context, status=status)


def _decide(
    request: SignedInRequest, application: Application, form: DecisionForm
) -> Decision | None:
    """The posted decision, recorded; None when the form or the service refuses it (the form
    then carries why). Only those who may decide can post it."""
    if not may_decide(request.user, application):
        raise PermissionDenied("debrief.decide")
    if not form.is_valid():
        return None
    try:
        return decision_record(
            application=application, actor=request.user, **form.decision_fields()
        )
    except DomainError as error:
        add_domain_error(form, error)
        return None


def _decided_message(decision: Decision) -> str:
    if decision.outcome == DecisionOutcome.ADVANCE:
        return (
            "Advanced to offer. The two-business-day offer clock started now: "
            "the offer should be in the candidate's hands within two business days."
        )
    if decision.outcome == DecisionOutcome.REJECT:
        return f"Rejected ({decision.reason}). The application is closed."
    return "On hold. The decision is recorded; decide again when you are ready."


@requires("calibration.view")
def calibration(request: SignedInRequest) -> HttpResponse:
    page = calibration_selectors.calibration(request.user)
    return render(request, "assessments/interviews/calibration.html", {"page": page})


@requires("calibration.own")
def my_calibration(request: SignedInRequest) -> HttpResponse:
    row = calibration_selectors.my_calibration(request.user)
    return render(request, "assessments/interviews/my_calibration.html", {"row": row})
