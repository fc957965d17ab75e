from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hiring.admin import ReadOnlyAdmin
from hiring.audit import audit_record
from hiring.offers.models import ApprovalTemplateStep, Offer

# Approval templates are edited on their pages (/offers/approval-templates/, which check
# them); here too, audited, step by step. Offers are read-only (they change through the
# services, which keep the history and the audit log).


def _step(step: ApprovalTemplateStep) -> dict[str, Any]:
    return {
        "requisition": step.requisition_id,
        "position": step.position,
        "name": step.name,
        "source": step.source,
        "required_approvals": step.required_approvals,
        "parallel_with_previous": step.parallel_with_previous,
        "people": sorted(step.people.values_list("username", flat=True)) if step.pk else [],
    }


@admin.register(ApprovalTemplateStep)
class ApprovalTemplateStepAdmin(admin.ModelAdmin):
    """A step of a requisition's approval template, or of the company default (no
    requisition). Neither: the built-in chain (hiring manager, then finance/HR); an
    out-of-band offer always gets the compensation-exception step at the end.
    Every change is in the audit log, with the step before and after."""

    list_display = [
        "requisition", "position", "name", "source", "required_approvals",
        "parallel_with_previous",
    ]  # fmt: skip
    list_filter = ["source"]
    search_fields = ["requisition__title", "name"]
    raw_id_fields = ["requisition"]
    filter_horizontal = ["people"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        stored = ApprovalTemplateStep.objects.filter(pk=obj.pk).first() if change else None
        obj._audit_before = _step(stored) if stored is not None else None
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        step = form.instance
        before = getattr(step, "_audit_before", None)
        super().save_related(request, form, formsets, change)
        action = "approval_template.change" if change else "approval_template.create"
        audit_record(
            actor=request.user, action=action, target=step, before=before, after=_step(step)
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user, action="approval_template.delete", target=obj, before=_step(obj)
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for step in queryset:
            self.delete_model(request, step)


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["application", "revision", "status", "base_salary", "target_bonus", "currency"]
    list_filter = ["status", "band_result"]
    search_fields = ["application__candidate__name", "application__requisition__title"]
