"""The recruiter's posting page: a requisition's public description, questions and switches."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from hiring.careers.forms.postings import PostingForm, posting_initial
from hiring.careers.selectors.recruiter import posting_edit_context
from hiring.careers.services.postings import posting_draft, posting_save
from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.permissions import SignedInRequest, requires
from hiring.pipeline.models import Requisition


@requires("pipeline.edit")
def posting_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    requisition = get_object_or_404(Requisition.objects.select_related("role", "level"), pk=pk)
    posting = posting_draft(requisition)
    form = PostingForm(request.POST or None, initial=posting_initial(posting))
    if request.method == "POST" and form.is_valid():
        published = form.cleaned_data["published"]
        try:
            posting_save(requisition=requisition, fields=form.service_fields(),
                         actor=request.user, published=published)  # fmt: skip
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Posting published." if published else "Posting saved "
                             "(not on the careers page).")  # fmt: skip
            return redirect("careers:posting-edit", pk=requisition.pk)
    return render(request, "careers/posting_edit.html", posting_edit_context(posting, form))
