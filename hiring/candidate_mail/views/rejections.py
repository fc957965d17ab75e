"""Rejecting with an e-mail to the candidate: one application, or the list's ticked rows.

The composer shows the chosen template's text to edit ("Load the template's text" fills it
in); "Reject" rejects and claims the e-mail in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hiring.candidate_mail.forms import BulkRejectForm, RejectForm
from hiring.candidate_mail.rules import MailKind, placeholders_for
from hiring.candidate_mail.selectors.pages import rejectable_application, rejection_templates
from hiring.candidate_mail.services.rejections import (
    RejectionEmail,
    application_reject_with_email,
    applications_bulk_reject_with_email,
)
from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.permissions import SignedInRequest, requires
from hiring.pipeline.selectors import applications_visible_to
from hiring.pipeline.selectors.listing import selection_check


@requires("pipeline.edit")
def application_reject(request: SignedInRequest, pk: int) -> HttpResponse:
    application = rejectable_application(request.user, pk)
    form = RejectForm(_data(request), templates=_choices(), initial=_first_template())
    if _confirmed(request) and form.is_valid() and _done(request, form, [application.pk]):
        messages.success(request, f"Rejected from {application.requisition.title}.")
        return redirect("candidate:detail", application.candidate_id)
    context = {"form": form, "application": application, "action": request.path}
    return _composer(request, form, context)


@requires("pipeline.edit")
@require_POST
def applications_reject(request: SignedInRequest) -> HttpResponse:
    """From the candidate list's ticked rows (posted with their ids): compose, then reject."""
    form = BulkRejectForm(_data(request), templates=_choices(), initial=_first_template())
    ids = form.ids() or []
    if _confirmed(request) and form.is_valid() and _done(request, form, ids):
        messages.success(request, f"Rejected {len(ids)} application{'s' * (len(ids) != 1)}.")
        return redirect("candidates:list")
    rows = applications_visible_to(request.user, "pipeline.edit").filter(pk__in=ids[:200])
    context = {"form": form, "ids": ids, "action": request.path,
               "applications": rows.select_related("candidate", "requisition")}  # fmt: skip
    return _composer(request, form, context)


def _data(request: SignedInRequest) -> Any:
    """The posted form, with the chosen template's text when the recruiter asked to load it
    (or arrives from the list without a text yet)."""
    if request.method != "POST":
        return None
    data = request.POST.copy()
    if "load" in data or "subject" not in data:
        template = rejection_templates().filter(pk=_int(data.get("template"))).first()
        if "template" not in data:
            template = rejection_templates().first()
            data["template"] = str(template.pk) if template else ""
        data["subject"] = template.subject if template else ""
        data["body"] = template.body if template else ""
    return data


def _int(value: Any) -> int:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 12 else 0


def _confirmed(request: SignedInRequest) -> bool:
    return request.method == "POST" and "confirm" in request.POST and "load" not in request.POST


def _choices() -> list[tuple[int, str]]:
    return list(rejection_templates().values_list("pk", "name"))


def _first_template() -> dict[str, Any]:
    template = rejection_templates().first()
    if template is None:
        return {}
    return {"template": str(template.pk), "subject": template.subject, "body": template.body}


def _done(request: SignedInRequest, form: RejectForm, ids: list[int]) -> bool:
    data = form.cleaned_data
    email = None
    if form.chosen_template() is not None:
        email = RejectionEmail(data["subject"], data["body"], send_now=bool(data["send_now"]))
    try:
        selection_check(applications_visible_to(request.user, "pipeline.edit"), ids)
        if len(ids) == 1 and not isinstance(form, BulkRejectForm):
            application = rejectable_application(request.user, ids[0])
            application_reject_with_email(
                application=application, reason=data["reason"], email=email, actor=request.user
            )
        else:
            applications_bulk_reject_with_email(
                ids=ids, reason=data["reason"], email=email, actor=request.user
            )
    except DomainError as error:
        add_domain_error(form, error)
        return False
    return True


def _composer(request: SignedInRequest, form: RejectForm, context: dict[str, Any]) -> HttpResponse:
    context |= {
        "placeholders": placeholders_for(MailKind.NOT_MOVING_FORWARD).items(),
        "back": reverse("candidates:list"),
    }
    status = 400 if _confirmed(request) and form.errors else 200
    return render(request, "candidate_mail/reject.html", context, status=status)
