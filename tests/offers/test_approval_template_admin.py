"""Approval templates changed in Django admin are in the audit log (issue 13, item 12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hiring.audit import AuditEntry
from hiring.offers.models import ApprovalTemplateStep
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


def test_adding_changing_and_deleting_a_template_step_in_admin_is_audited(
    admin_user: Any,
) -> None:
    requisition = factories.requisition()
    client = Client()
    client.force_login(admin_user)
    form = {
        "requisition": requisition.pk, "position": 1, "name": "Finance", "source": "people",
        "people": [admin_user.pk], "required_approvals": 1,
    }  # fmt: skip
    url = "/admin/offers/approvaltemplatestep/"
    assert client.post(f"{url}add/", form).status_code == 302
    step = ApprovalTemplateStep.objects.get(requisition=requisition)
    created = AuditEntry.objects.get(action="approval_template.create")
    assert created.actor_username == admin_user.username
    assert created.after["name"] == "Finance" and created.after["people"] == ["admin"]

    assert (
        client.post(f"{url}{step.pk}/change/", {**form, "required_approvals": 2}).status_code == 302
    )
    changed = AuditEntry.objects.get(action="approval_template.change")
    assert (changed.before["required_approvals"], changed.after["required_approvals"]) == (1, 2)

    assert client.post(f"{url}{step.pk}/delete/", {"post": "yes"}).status_code == 302
    deleted = AuditEntry.objects.get(action="approval_template.delete")
    assert deleted.before["name"] == "Finance" and not ApprovalTemplateStep.objects.exists()
