"""Candidates in Django admin: read-only (they change through the pipeline's pages), with
the one action an admin takes here, erasing the selected candidates' personal data."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from hiring.admin import ReadOnlyAdmin
from hiring.errors import DomainError
from hiring.permissions import can, signed_in_user
from hiring.pipeline.models import Candidate
from hiring.pipeline.rules import ApplicationStatus
from hiring.privacy.services.erasure import candidate_anonymise


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "email", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["name", "email"]
    exclude = ["search_document"]
    actions = ["anonymise"]

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return can(request.user, "candidates.erase")

    @admin.action(description="Erase the selected candidates' personal data", permissions=["erase"])
    def anonymise(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> Any:
        """First a confirmation page naming who will be erased and who cannot be (an active
        application); then the erasure, one candidate at a time."""
        if request.POST.get("confirmed") != "yes":
            return self._confirm(request, queryset)
        erased, refused = [], []
        for candidate in queryset.order_by("pk"):
            try:
                candidate_anonymise(candidate=candidate, actor=signed_in_user(request))
                erased.append(f"#{candidate.pk}")
            except DomainError:
                refused.append(f"#{candidate.pk}")
        if erased:
            self.message_user(request, f"Erased the personal data of {', '.join(erased)}.")
        if refused:
            self.message_user(
                request,
                f"Not erased (an active application; reject or withdraw it first): "
                f"{', '.join(refused)}.",
                messages.WARNING,
            )
        return None

    def _confirm(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> TemplateResponse:
        active = set(
            queryset.filter(applications__status=ApplicationStatus.ACTIVE).values_list(
                "pk", flat=True
            )
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase personal data?",
            "opts": self.model._meta,
            "candidates": [(c, c.pk in active) for c in queryset.order_by("pk")],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "privacy/admin_anonymise_confirm.html", context)
