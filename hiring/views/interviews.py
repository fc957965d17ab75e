"""Interview pages: scheduling, the live scorecard (and its autosave), the debrief, calibration.

Thin views: they find what the user may see (anything else is a 404, so a URL never tells an
outsider it exists), call one service, and render. The scorecard's autosave endpoint is the
hottest request in the product: it skips the role lookup (only the scorecard's own interviewer
can match the service's conditional UPDATE) and answers JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessments import selectors as scorecard_selectors
from assessments.models import (
    InterviewQuestion,
    Question,
    Recommendation,
    RedFlag,
    Scorecard,
    ScorecardStatus,
)
from assessments.services.scorecards import (
    ScorecardConflict,
    assigned_questions,
    changes_from_data,
    scorecard_autosave,
    scorecard_open,
    scorecard_reopen,
    scorecard_submit,
)
from hiring import interview_selectors
from hiring.errors import DomainError
from hiring.forms.interviews import EVERYONE, DecisionForm, InterviewForm
from hiring.models import Application, Interview, InterviewStatus
from hiring.permissions import can, requires
from hiring.selectors import applications_visible_to, credentials_visible
from hiring.services import interviews as interview_services
from hiring.services.decisions import decision_record
from roles.models import LoopQuestion

# Helpers ------------------------------------------------------------------------------------


def _application(user: Any, application_id: int, *, debrief: bool = False) -> Application:
    rows = (
        interview_selectors.debrief_applications(user) if debrief else applications_visible_to(user)
    )
    row = (
        rows.select_related("candidate", "requisition__role", "stage")
        .filter(pk=application_id)
        .first()
    )
    if row is None:
        raise Http404("No such application")
    return row


def _interview(user: Any, interview_id: int) -> Interview:
    row = (
        interview_selectors.interviews_visible_to(user)
        .select_related("application__candidate", "application__requisition__role")
        .filter(pk=interview_id)
        .first()
    )
    if row is None:
        raise Http404("No such interview")
    return row


def _is_interviewer(user: Any, interview: Interview) -> bool:
    return interview.interviewers.filter(pk=user.pk).exists()


def _form_errors(form: Any, error: DomainError) -> None:
    form.add_error(None, error.message)
    for name, texts in error.fields.items():
        if name in form.fields:
            for text in texts:
                form.add_error(name, text)


def _json_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A JSON endpoint answers 401 to an anonymous caller instead of redirecting to log in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse(
                {"detail": "Log in again: your session has ended.", "fields": {}}, status=401
            )
        return view(request, *args, **kwargs)

    return wrapped


# My interviews and calibration --------------------------------------------------------------


@requires("interviews.view_own")
def my_interviews(request: HttpRequest) -> HttpResponse:
    context = {
        "interviews": interview_selectors.home_interviews(request.user),
        "can_calibrate": can(request.user, "calibration.view"),
        "debriefs": interview_selectors.debriefs_ready(request.user)
        if can(request.user, "debrief.decide")
        else [],
    }
    return render(request, "hiring/interviews/mine.html", context)


@requires("calibration.view")
def calibration(request: HttpRequest) -> HttpResponse:
    rows, panel = scorecard_selectors.calibration(request.user)
    return render(request, "hiring/interviews/calibration.html", {"rows": rows, "panel": panel})


# Scheduling ---------------------------------------------------------------------------------


def _bank_for(application: Application) -> tuple[list[Question], list[int]]:
    """Every bank question, the role's loop first (in its order), and the loop's ids."""
    loop_ids = list(
        LoopQuestion.objects.filter(role_id=application.requisition.role_id)
        .order_by("position")
        .values_list("question_id", flat=True)
    )
    questions = list(Question.objects.select_related("current_version").order_by("number"))
    order = {pk: i for i, pk in enumerate(loop_ids)}
    questions.sort(key=lambda q: (order.get(q.pk, len(order)), q.number))
    return [q for q in questions if q.current_version_id], loop_ids


def _default_assignments(application: Application, loop_ids: list[int]) -> dict[str, str]:
    """The role's loop, less what the application's other interviews already cover."""
    covered = set(
        InterviewQuestion.objects.filter(
            interview__application=application, interview__status=InterviewStatus.SCHEDULED
        ).values_list("question_version__question_id", flat=True)
    )
    wanted = [pk for pk in loop_ids if pk not in covered] or loop_ids
    return {f"question-{pk}": EVERYONE for pk in wanted}


def _assignments(
    form: InterviewForm, keep: dict[int, Any] | None = None
) -> list[interview_services.QuestionAssignment]:
    """Questions already on the interview keep the version scheduled; new ones get the current."""
    keep = keep or {}
    return [
        interview_services.QuestionAssignment(
            question_version=keep.get(question.pk) or question.current_version,
            interviewer=person,
        )
        for question, person in form.assignments()
    ]


def _schedule_form(application: Application, data: QueryDict | None, **kwargs: Any) -> Any:
    questions, loop_ids = _bank_for(application)
    return InterviewForm(
        data,
        people=interview_services.interviewer_choices(),
        questions=questions,
        loop_ids=loop_ids,
        **kwargs,
    )


@requires("interviews.schedule")
def interview_new(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application(request.user, application_id)
    _, loop_ids = _bank_for(application)
    form = _schedule_form(
        application,
        request.POST if request.method == "POST" else None,
        initial=_default_assignments(application, loop_ids),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interview = interview_services.interview_schedule(
                application=application,
                actor=request.user,
                round_name=data["round_name"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                interviewers=list(data["interviewers"]),
                location=data["location"],
                questions=_assignments(form),
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                f"{interview.round_name} scheduled. Each interviewer gets a calendar invite "
                "with the video link and their scorecard link.",
            )
            return redirect("interviews:application", application_id=application.pk)
    context = {"application": application, "form": form, "interview": None}
    status = 400 if form.errors else 200
    return render(request, "hiring/interviews/schedule.html", context, status=status)


@requires("interviews.schedule")
def interview_edit(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = _interview(request.user, interview_id)
    if interview.status == InterviewStatus.CANCELLED:
        messages.error(request, "This interview was cancelled; schedule a new one instead.")
        return redirect("interviews:application", application_id=interview.application_id)
    application = interview.application
    plan = list(
        InterviewQuestion.objects.filter(interview=interview).select_related("question_version")
    )
    keep = {iq.question_version.question_id: iq.question_version for iq in plan}
    initial = {
        "round_name": interview.round_name,
        "starts_at": interview.starts_at,
        "duration_minutes": interview.duration_minutes,
        "interviewers": list(interview.interviewers.all()),
        "location": interview.location,
        **{
            f"question-{iq.question_version.question_id}": str(iq.interviewer_id or EVERYONE)
            for iq in plan
        },
    }
    form = _schedule_form(
        application, request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interview_services.interview_update(
                interview=interview,
                actor=request.user,
                round_name=data["round_name"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                interviewers=list(data["interviewers"]),
                location=data["location"],
                questions=_assignments(form, keep),
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Interview updated; the interviewers get the new invite.")
            return redirect("interviews:application", application_id=application.pk)
    context = {"application": application, "form": form, "interview": interview}
    status = 400 if form.errors else 200
    return render(request, "hiring/interviews/schedule.html", context, status=status)


@requires("interviews.schedule")
@require_POST
def interview_cancel(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = _interview(request.user, interview_id)
    try:
        interview_services.interview_cancel(interview=interview, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Interview cancelled; the interviewers get a cancellation.")
    return redirect("interviews:application", application_id=interview.application_id)


@requires("debrief.view")
def application_interviews(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application(request.user, application_id, debrief=True)
    interviews = list(
        Interview.objects.filter(application=application)
        .prefetch_related("interviewers", "questions__question_version__question")
        .order_by("starts_at", "id")
    )
    statuses = {
        (s.interview_id, s.interviewer_id): s.status
        for s in Scorecard.objects.filter(interview__application=application).only(
            "interview_id", "interviewer_id", "status"
        )
    }
    for interview in interviews:
        interview.panel = [  # type: ignore[attr-defined]
            (person, statuses.get((interview.pk, person.pk), ""))
            for person in interview.interviewers.all()
        ]
    context = {
        "application": application,
        "interviews": interviews,
        "can_schedule": can(request.user, "interviews.schedule"),
    }
    return render(request, "hiring/interviews/application.html", context)


# The live scorecard -------------------------------------------------------------------------


def _scorecard_values(scorecard: Scorecard, posted: QueryDict | None) -> dict[str, Any]:
    """What the form shows: the saved values, or what was just posted (nothing is lost)."""
    answers = {a.question_version_id: a for a in scorecard.answers.all()}
    flags = list(scorecard.red_flags.select_related("red_flag").order_by("red_flag__number"))
    if posted is None:
        return {
            "ratings": {qv: a.rating for qv, a in answers.items()},
            "notes": {qv: a.notes for qv, a in answers.items()},
            "flags": flags,
            "raised": {f.red_flag.key: f.raised for f in flags},
            "evidence": {f.red_flag.key: f.evidence for f in flags},
            "recommendation": scorecard.recommendation,
            "summary": scorecard.summary,
        }
    rating = {qv: posted.get(f"rating-{qv}", "") for qv in answers}
    return {
        "ratings": {qv: int(v) if v.isdigit() else None for qv, v in rating.items()},
        "notes": {qv: posted.get(f"notes-{qv}", "") for qv in answers},
        "flags": flags,
        "raised": {f.red_flag.key: f"flag-{f.red_flag.key}" in posted for f in flags},
        "evidence": {f.red_flag.key: posted.get(f"evidence-{f.red_flag.key}", "") for f in flags},
        "recommendation": posted.get("recommendation", ""),
        "summary": posted.get("summary", ""),
    }


def _scorecard_context(
    request: HttpRequest,
    interview: Interview,
    scorecard: Scorecard,
    *,
    posted: QueryDict | None = None,
    errors: dict[str, list[str]] | None = None,
    error: str = "",
    conflict: dict[str, Any] | None = None,
) -> dict[str, Any]:
    user = request.user
    application = interview.application
    values = _scorecard_values(scorecard, posted)
    errors = errors or {}
    questions = []
    plan = assigned_questions(interview=interview, interviewer=user)
    flags_in_order = Prefetch("red_flags", queryset=RedFlag.objects.order_by("number"))
    linked = {
        q.pk: list(q.red_flags.all())
        for q in Question.objects.filter(
            pk__in=[iq.question_version.question_id for iq in plan]
        ).prefetch_related(flags_in_order)
    }
    for position, iq in enumerate(plan, start=1):
        version = iq.question_version
        qv = version.pk
        questions.append(
            {
                "position": position,
                "version": version,
                "question": version.question,
                "rating": values["ratings"].get(qv),
                "notes": values["notes"].get(qv, ""),
                "error": (errors.get(f"rating-{qv}") or [""])[0],
                "linked": linked.get(version.question_id, []),
                "only_me": iq.interviewer_id is not None,
            }
        )
    flags = [
        {
            "row": row,
            "flag": row.red_flag,
            "raised": values["raised"].get(row.red_flag.key, False),
            "evidence": values["evidence"].get(row.red_flag.key, ""),
            "error": (errors.get(f"evidence-{row.red_flag.key}") or [""])[0],
        }
        for row in values["flags"]
    ]
    locked = scorecard.status == ScorecardStatus.SUBMITTED
    unlocked = locked and (
        can(user, "scorecards.view_all")
        or scorecard_selectors.feedback_unlocked(user, application.pk)
    )
    panel = (
        scorecard_selectors.panel_columns(
            user=user, application_id=application.pk, exclude=scorecard
        )
        if unlocked
        else []
    )
    conflict_fields = _conflict_fields(conflict, values, questions, flags) if conflict else []
    return {
        "interview": interview,
        "application": application,
        "candidate": application.candidate,
        "scorecard": scorecard,
        "version": conflict["version"] if conflict else scorecard.version,
        "show_credentials": credentials_visible(user, application.candidate),
        "questions": questions,
        "flags": flags,
        "recommendation": values["recommendation"],
        "recommendations": Recommendation.choices,
        "summary": values["summary"],
        "errors": errors,
        "error": error,
        "locked": locked,
        "panel": panel,
        "panel_unlocked": unlocked,
        "conflict_fields": conflict_fields,
        "interviewers": list(interview.interviewers.all()),
        "can_reopen": can(user, "scorecards.reopen"),
        "ratings": [(1, "Definitely not"), (2, "No"), (3, "Yes"), (4, "Strong yes")],
        "video_link": interview.location
        if interview.location.startswith(("https://", "http://"))
        else "",
        "page_state": {
            "scorecard": scorecard.pk,
            "version": conflict["version"] if conflict else scorecard.version,
            "locked": locked,
            "saveUrl": reverse("interviews:scorecard-save", args=[scorecard.pk]),
            "durationMinutes": interview.duration_minutes,
            "interview": interview.pk,
        },
    }


def _conflict_fields(
    conflict: dict[str, Any], values: dict[str, Any], questions: list[Any], flags: list[Any]
) -> list[dict[str, str]]:
    """Fields whose saved text differs from what was posted: shown side by side."""
    result = []
    if (conflict.get("summary") or "") != values["summary"]:
        result.append(
            {"label": "Summary", "saved": conflict["summary"], "yours": values["summary"]}
        )
    saved_notes = {a["question_version"]: a["notes"] for a in conflict.get("answers", [])}
    for q in questions:
        saved = saved_notes.get(q["version"].pk, "")
        if saved != q["notes"]:
            label = f"Notes on Q{q['question'].number}"
            result.append({"label": label, "saved": saved, "yours": q["notes"]})
    saved_evidence = {f["red_flag"]: f["evidence"] for f in conflict.get("red_flags", [])}
    for f in flags:
        saved = saved_evidence.get(f["flag"].key, "")
        if saved != f["evidence"]:
            label = f"Evidence for '{f['flag'].title}'"
            result.append({"label": label, "saved": saved, "yours": f["evidence"]})
    return result


def _own_scorecard(request: HttpRequest, interview_id: int) -> tuple[Interview, Scorecard | None]:
    interview = _interview(request.user, interview_id)
    if not _is_interviewer(request.user, interview):
        raise PermissionDenied("Not an interviewer of this interview")
    if interview.status == InterviewStatus.CANCELLED:
        return interview, Scorecard.objects.filter(
            interview=interview, interviewer=request.user
        ).first()
    return interview, scorecard_open(interview=interview, interviewer=request.user)


@requires("interviews.view_own")
@never_cache
def scorecard(request: HttpRequest, interview_id: int) -> HttpResponse:
    """The current user's scorecard for the interview (created on first open)."""
    interview = _interview(request.user, interview_id)
    if not _is_interviewer(request.user, interview):
        if can(request.user, "debrief.view"):
            url = reverse("interviews:debrief", args=[interview.application_id])
            return redirect(f"{url}#interview-{interview.pk}")
        raise PermissionDenied("Not an interviewer of this interview")
    card = (
        Scorecard.objects.filter(interview=interview, interviewer=request.user).first()
        if interview.status == InterviewStatus.CANCELLED
        else scorecard_open(interview=interview, interviewer=request.user)
    )
    if card is None:
        context = {"interview": interview, "application": interview.application}
        return render(request, "hiring/interviews/scorecard_cancelled.html", context)
    context = _scorecard_context(request, interview, card)
    return render(request, "hiring/interviews/scorecard.html", context)


def changes_from_form(posted: QueryDict, card: Scorecard) -> dict[str, Any]:
    """The whole form as one save request (the page without JavaScript, and Submit)."""
    answers = card.answers.values_list("question_version_id", flat=True)
    flags = card.red_flags.values_list("red_flag__key", flat=True)
    return {
        "version": posted.get("version"),
        "recommendation": posted.get("recommendation", ""),
        "summary": posted.get("summary", ""),
        "answers": [
            {
                "question_version": qv,
                "rating": posted.get(f"rating-{qv}") or None,
                "notes": posted.get(f"notes-{qv}", ""),
            }
            for qv in answers
        ],
        "red_flags": [
            {
                "red_flag": key,
                "raised": f"flag-{key}" in posted,
                "evidence": posted.get(f"evidence-{key}", ""),
            }
            for key in flags
        ],
    }


@requires("interviews.view_own")
@require_POST
def scorecard_post(request: HttpRequest, interview_id: int) -> HttpResponse:
    """Save the whole form, and submit it when the Submit button was pressed."""
    interview, card = _own_scorecard(request, interview_id)
    if card is None:
        raise Http404("The interview was cancelled")
    submitting = request.POST.get("action") == "submit"
    try:
        version, changes = changes_from_data(changes_from_form(request.POST, card))
        saved = scorecard_autosave(
            scorecard_id=card.pk, actor=request.user, version=version, changes=changes
        )
        if submitting:
            scorecard_submit(scorecard=card, actor=request.user, version=saved.version)
    except ScorecardConflict as conflict:
        context = _scorecard_context(
            request, interview, card, posted=request.POST, error=conflict.message,
            conflict=conflict.current,
        )  # fmt: skip
        return render(request, "hiring/interviews/scorecard.html", context, status=409)
    except DomainError as error:
        card.refresh_from_db()
        context = _scorecard_context(
            request, interview, card, posted=request.POST, errors=error.fields, error=error.message
        )
        return render(request, "hiring/interviews/scorecard.html", context, status=error.status)
    if submitting:
        messages.success(request, "Scorecard submitted and locked. Thank you.")
    else:
        messages.success(request, "Draft saved.")
    return redirect("interviews:scorecard", interview_id=interview.pk)


@_json_login_required
@require_POST
def scorecard_save(request: HttpRequest, scorecard_id: int) -> JsonResponse:
    """Autosave (JSON): only the fields sent change; 409 with the saved state when stale."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": "Send JSON.", "fields": {}}, status=400)
    try:
        version, changes = changes_from_data(data)
        saved = scorecard_autosave(
            scorecard_id=scorecard_id, actor=request.user, version=version, changes=changes
        )
    except ScorecardConflict as conflict:
        body = {"detail": conflict.message, "fields": conflict.fields, "current": conflict.current}
        return JsonResponse(body, status=409)
    except DomainError as error:
        return JsonResponse({"detail": error.message, "fields": error.fields}, status=error.status)
    return JsonResponse({"version": saved.version, "saved_at": saved.saved_at.isoformat()})


@requires("scorecards.reopen")
@require_POST
def scorecard_reopen_view(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    card = Scorecard.objects.select_related("interview").filter(pk=scorecard_id).first()
    if card is None:
        raise Http404("No such scorecard")
    try:
        scorecard_reopen(scorecard=card, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Scorecard reopened: its interviewer can edit and submit again.")
    url = reverse("interviews:debrief", args=[card.interview.application_id])
    return redirect(f"{url}#scorecard-{card.pk}")


# The debrief --------------------------------------------------------------------------------


@requires("debrief.view")
def debrief(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application(request.user, application_id, debrief=True)
    can_decide = can(request.user, "debrief.decide")
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied("debrief.decide")
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = decision_record(
                    application=application,
                    actor=request.user,
                    outcome=data["outcome"],
                    reason=data["reason"],
                    comment=data["comment"],
                )
            except DomainError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _decided_message(decision))
                return redirect("interviews:debrief", application_id=application.pk)
    data = scorecard_selectors.debrief(application)
    context = {
        "application": application,
        "debrief": data,
        "summary": data.summary,
        "form": form,
        "can_decide": can_decide and application.status == "active",
        "can_reopen": can(request.user, "scorecards.reopen"),
        "can_schedule": can(request.user, "interviews.schedule"),
    }
    status = 400 if form.errors else 200
    return render(request, "hiring/interviews/debrief.html", context, status=status)


def _decided_message(decision: Any) -> str:
    if decision.outcome == "advance":
        return (
            "Advanced to offer. The two-business-day offer clock started now: "
            "the offer should be in the candidate's hands within two business days."
        )
    if decision.outcome == "reject":
        return f"Rejected ({decision.reason}). The application is closed."
    return "On hold. The decision is recorded; decide again when you are ready."


app_name = "interviews"
urlpatterns = [
    path("interviews/", my_interviews, name="mine"),
    path("interviews/calibration/", calibration, name="calibration"),
    path("interviews/<int:interview_id>/scorecard/", scorecard, name="scorecard"),
    path("interviews/<int:interview_id>/scorecard/post/", scorecard_post, name="scorecard-post"),
    path("interviews/<int:interview_id>/edit/", interview_edit, name="edit"),
    path("interviews/<int:interview_id>/cancel/", interview_cancel, name="cancel"),
    path("scorecards/<int:scorecard_id>/save/", scorecard_save, name="scorecard-save"),
    path("scorecards/<int:scorecard_id>/reopen/", scorecard_reopen_view, name="scorecard-reopen"),
    path(
        "applications/<int:application_id>/interviews/",
        application_interviews,
        name="application",
    ),
    path("applications/<int:application_id>/interviews/new/", interview_new, name="schedule"),
    path("applications/<int:application_id>/debrief/", debrief, name="debrief"),
]
