"""The interview bank's pages: the questions and red flags, and their edit forms (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from assessments.forms.bank import QuestionForm, RedFlagForm
from assessments.models import Question, RedFlag
from assessments.selectors import bank as selectors
from assessments.services.bank import question_new_version, red_flag_update
from hiring.permissions import SignedInRequest, requires

SAVED = "Saved as version {version}. Earlier scorecards keep the text they were asked."


@requires("playbook.view")
def bank(request: SignedInRequest) -> HttpResponse:
    return render(request, "assessments/bank.html", selectors.bank_page(request.user))


@requires("playbook.edit")
def question_edit(request: SignedInRequest, key: str) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("current_version"), key=key)
    form = QuestionForm(request.POST or None, initial=selectors.question_wording(question))
    if request.method == "POST" and form.is_valid():
        version, created = question_new_version(
            question=question, wording=form.cleaned_data, actor=request.user
        )
        if created:
            messages.success(request, SAVED.format(version=version.version))
        else:
            messages.info(request, "Nothing changed.")
        return redirect("assessments:bank")
    context = {**selectors.question_edit_page(question), "form": form}
    return render(request, "assessments/question_edit.html", context)


@requires("playbook.edit")
def red_flag_edit(request: SignedInRequest, key: str) -> HttpResponse:
    flag = get_object_or_404(RedFlag, key=key)
    form = RedFlagForm(request.POST or None, initial=selectors.red_flag_values(flag))
    if request.method == "POST" and form.is_valid():
        changed = red_flag_update(flag=flag, actor=request.user, **form.changes())
        messages.success(request, "Red flag saved." if changed else "Nothing changed.")
        return redirect("assessments:bank")
    return render(request, "assessments/red_flag_edit.html", {"flag": flag, "form": form})
