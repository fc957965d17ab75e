"""Offers, their history and approval chains, the two-business-day offer clock."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hiring.offers.letters import DECLINE_REASONS
from hiring.offers.rules import LIVE_OFFER_STATUSES, ApproverSource, OfferStatus, StepStatus


class OfferClock(models.Model):
    """The two-business-day clock of one application: from "advance to offer" to offer sent.

    The deadlines are stored, computed once with the business calendar, so the reminder
    sweep finds what is due with one indexed comparison (`next_alert_at <= now`). A newer
    "advance" decision restarts the clock (`cycle` + 1, so its alerts can fire again).
    """

    application = models.OneToOneField(
        "pipeline.Application", on_delete=models.CASCADE, related_name="offer_clock"
    )
    decision = models.ForeignKey(
        "assessments.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cycle = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField()
    escalate_at = models.DateTimeField()  # 1 business day after the start
    due_at = models.DateTimeField()  # 2 business days after the start: the deadline
    next_alert_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=40, blank=True)
    business_hours_to_send = models.FloatField(null=True, blank=True)

    class Meta:
        db_table = "hiring_offerclock"
        indexes = [
            # The sweep: "clocks whose escalation or breach notice is due".
            models.Index(
                fields=["next_alert_at"],
                condition=models.Q(next_alert_at__isnull=False),
                name="offerclock_alert_idx",
            ),
            # Offers in flight, sorted by time left (running clocks by deadline).
            # The offers list's order (due first, then id): with the id in the index a page
            # of 50 reads 50 rows even when thousands of clocks share a deadline.
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(stopped_at__isnull=True),
                name="offerclock_running_idx",
            ),
            # The dashboard: offers sent in the last 30/90 days.
            models.Index(fields=["stop_reason", "stopped_at"], name="offerclock_stopped_idx"),
        ]

    def __str__(self) -> str:
        return f"Offer clock of application {self.application_id}"


class Offer(models.Model):
    """An offer for an application. Revisions are new rows pointing at the one they replace."""

    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.PROTECT, related_name="offers"
    )
    revision = models.PositiveSmallIntegerField(default=1)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default="draft")
    base_salary = models.PositiveIntegerField()
    target_bonus = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="USD")
    level = models.ForeignKey("roles.RoleLevel", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    expires_on = models.DateField()
    notes = models.TextField(blank=True, help_text="Notes for approvers")
    justification = models.TextField(blank=True, help_text="Why an out-of-band offer is right")
    # The band check as it was when the offer was last submitted.
    band = models.ForeignKey(
        "compensation.Band", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    band_result = models.CharField(max_length=10, blank=True)
    approval_round = models.PositiveSmallIntegerField(default=0)
    returned_reason = models.TextField(blank=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_note = models.CharField(max_length=200, blank=True)
    # The letter: rendered from its template when the offer is submitted (and again when the
    # chain restarts), so the approvers approve, and the candidate gets, this exact text.
    letter_template = models.ForeignKey(
        "offers.LetterTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    letter_subject = models.CharField(max_length=300, blank=True)
    letter_text = models.TextField(blank=True)
    # How it reached the candidate and how they answered: "email"/"link", or "hand" (a phone
    # offer recorded by the recruiter).
    sent_via = models.CharField(max_length=5, blank=True)
    answer_via = models.CharField(max_length=5, blank=True)
    # The candidate's link: its nonce is set when the offer is sent by e-mail; a link naming
    # another nonce (an older sending) is refused.
    link_nonce = models.CharField(max_length=40, blank=True)
    viewed_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "hiring_offer"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=LIVE_OFFER_STATUSES),
                name="offer_one_live_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(base_salary__gt=0), name="offer_base_salary_positive"
            ),
        ]
        indexes = [
            # The sweep: sent offers past their expiry date.
            models.Index(fields=["status", "expires_on"], name="offer_status_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"Offer r{self.revision} · {self.application}"

    @property
    def total_cash(self) -> int:
        return self.base_salary + self.target_bonus

    @property
    def decline_reason_label(self) -> str:
        return DECLINE_REASONS.get(self.decline_reason, "")


class OfferChange(models.Model):
    """History of an offer's status: every transition, who made it and why."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, blank=True, choices=OfferStatus.choices)
    to_status = models.CharField(max_length=10, choices=OfferStatus.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        db_table = "hiring_offerchange"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.from_status} → {self.to_status}"


class ApprovalTemplateStep(models.Model):
    """One step of an approval template: a requisition's own (`requisition` set) or the
    company default (`requisition` null). An offer's chain comes from its requisition's own
    steps, else the company default's, else the built-in chain (hiring.offers.rules)."""

    requisition = models.ForeignKey(
        "pipeline.Requisition",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="approval_template",
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    source = models.CharField(max_length=20, choices=ApproverSource.choices)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        db_table="hiring_approvaltemplatestep_people",
    )
    required_approvals = models.PositiveSmallIntegerField(default=1, help_text="N of the M")
    parallel_with_previous = models.BooleanField(
        default=False, help_text="Runs at the same time as the step before it"
    )

    class Meta:
        db_table = "hiring_approvaltemplatestep"
        ordering = ["requisition", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["requisition", "position"], name="approval_template_position"
            ),
            # NULLs are distinct in a unique index: the default's positions need their own.
            models.UniqueConstraint(
                fields=["position"],
                condition=models.Q(requisition__isnull=True),
                name="approval_template_default_position",
            ),
            models.CheckConstraint(
                condition=models.Q(required_approvals__gte=1),
                name="approval_template_required_positive",
            ),
        ]

    def __str__(self) -> str:
        owner = self.requisition_id or "Company default"
        return f"{owner} · {self.position}. {self.name}"


class ApprovalStep(models.Model):
    """A step of an offer's approval chain, built when the offer is submitted.

    Steps of one round with the same `position` run in parallel; a step is approved when
    `required_approvals` of its approvers approve (N of M). `next_reminder_at` is when the
    approvers' next reminder is due (4 business hours after the step opened, then each
    business morning).
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=ApproverSource.choices)
    required_approvals = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=StepStatus.choices, default="waiting")
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # approved, rejected or cancelled
    wait_business_hours = models.FloatField(null=True, blank=True)
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "hiring_approvalstep"
        ordering = ["offer", "round", "position", "id"]
        indexes = [
            # The sweep: "pending steps whose approvers' reminder is due".
            models.Index(
                fields=["next_reminder_at"],
                condition=models.Q(status="pending"),
                name="approvalstep_reminder_idx",
            ),
            # The dashboard: steps closed in the last 30/90 days, by name.
            models.Index(fields=["closed_at"], name="approvalstep_closed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (offer {self.offer_id}, round {self.round})"


class ApprovalStepChange(models.Model):
    """History of an approval step's status: every transition, who made it and why."""

    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, choices=StepStatus.choices)
    to_status = models.CharField(max_length=10, choices=StepStatus.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        db_table = "hiring_approvalstepchange"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.step_id}: {self.from_status} → {self.to_status}"


class StepApprover(models.Model):
    """An approver's seat on a step, and their vote on it once given."""

    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, related_name="approvers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=10, blank=True)  # "", "approve" or "reject"
    comment = models.TextField(blank=True)
    voted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "hiring_stepapprover"
        ordering = ["step", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "user"], name="step_approver_unique")
        ]
        indexes = [
            # Home page: "approvals waiting for me" (my seats without a vote yet).
            models.Index(fields=["user", "vote"], name="step_approver_mine_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on step {self.step_id}: {self.vote or 'waiting'}"


class UsedApprovalLink(models.Model):
    """A signed approval link that has been used: each link casts one vote."""

    nonce = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField()

    class Meta:
        db_table = "hiring_usedapprovallink"

    def __str__(self) -> str:
        return self.nonce


class LetterTemplate(models.Model):
    """An offer letter with named placeholders (hiring.offers.letters.PLACEHOLDERS): the
    company's default, or a requisition's own. Checked when saved: an unknown placeholder
    is refused."""

    name = models.CharField(max_length=80)
    requisition = models.OneToOneField(
        "pipeline.Requisition",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="letter_template",
    )
    is_default = models.BooleanField(default=False)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # A requisition's template may send the offer as soon as its last approval lands.
    send_when_approved = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "hiring_lettertemplate"
        ordering = ["-is_default", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="letter_template_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OfferSignature(models.Model):
    """The candidate's electronic signature of an offer: the typed name, the statement they
    ticked, when, from which address and browser, and the signed copy of the letter."""

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="signature")
    full_name = models.CharField(max_length=200)
    statement = models.TextField()
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    letter_sha256 = models.CharField(max_length=64)
    signed_pdf = models.BinaryField()

    class Meta:
        db_table = "hiring_offersignature"

    def __str__(self) -> str:
        return f"Signature of offer {self.offer_id}"
