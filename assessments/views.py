from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from assessments.forms import QuestionForm, RedFlagForm
from assessments.models import Question, RedFlag
from assessments.services import question_new_version, red_flag_update
from hiring.permissions import can, requires
from roles import selectors


@requires("playbook.view")
def bank(request: HttpRequest) -> HttpResponse:
    context = {
        "questions": selectors.question_bank(),
        "red_flags": selectors.red_flags(),
        "can_edit": can(request.user, "playbook.edit"),
    }
    return render(request, "assessments/bank.html", context)


@requires("playbook.edit")
def question_edit(request: HttpRequest, key: str) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("current_version"), key=key)
    current = question.current_version
    initial = {"text": current.text, "what_to_hear": current.what_to_hear} if current else {}
    if current:
        initial["red_flag"] = current.red_flag
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version, created = question_new_version(
            question=question, wording=form.cleaned_data, actor=request.user
        )
        if created:
            messages.success(
                request,
                f"Saved as version {version.version}. "
                "Earlier scorecards keep the text they were asked.",
            )
        else:
            messages.info(request, "Nothing changed.")
        return redirect("assessments:bank")
    versions = question.versions.order_by("-version")
    context = {"question": question, "form": form, "versions": versions}
    return render(request, "assessments/question_edit.html", context)


@requires("playbook.edit")
def red_flag_edit(request: HttpRequest, key: str) -> HttpResponse:
    flag = get_object_or_404(RedFlag, key=key)
    initial = {
        "title": flag.title,
        "explanation": flag.explanation,
        "severity": flag.severity,
        "questions": list(flag.questions.all()),
    }
    form = RedFlagForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("title", "explanation", "severity")}
        changed = red_flag_update(
            flag=flag,
            fields=fields,
            question_ids={q.pk for q in data["questions"]},
            actor=request.user,
        )
        messages.success(request, "Red flag saved." if changed else "Nothing changed.")
        return redirect("assessments:bank")
    return render(request, "assessments/red_flag_edit.html", {"flag": flag, "form": form})
