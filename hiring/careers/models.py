"""The careers page: a requisition's public posting, what a candidate sent with their
application (consent and answers), and the apply attempts the rate limits count."""

from __future__ import annotations

from django.db import models

from hiring.careers.rules import EmploymentType, Outcome, Workplace


class Posting(models.Model):
    """A requisition as the public sees it. Nothing here is internal: what the careers page
    shows comes from this row and the requisition's title and location only."""

    requisition = models.OneToOneField(
        "pipeline.Requisition", on_delete=models.CASCADE, related_name="posting"
    )
    slug = models.SlugField(max_length=80, unique=True)
    published = models.BooleanField(default=False)
    # First published (schema.org datePosted); kept when unpublished and published again.
    published_at = models.DateTimeField(null=True, blank=True)
    valid_through = models.DateField(null=True, blank=True)
    team = models.CharField(max_length=80, blank=True)
    workplace = models.CharField(max_length=8, choices=Workplace.choices, default=Workplace.ON_SITE)
    employment_type = models.CharField(
        max_length=10, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    description = models.TextField(blank=True)  # Markdown, as the recruiter wrote it
    # Rendered and sanitised once, when saved (services.postings): pages never render it.
    description_html = models.TextField(blank=True, editable=False)
    # Off by default: the band is published only when the recruiter chooses.
    publish_band = models.BooleanField(default=False)
    show_hiring_manager = models.BooleanField(default=False)
    # The production-evidence questions asked on the apply form, in order.
    questions = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The careers page and the feed: published postings, newest first.
            models.Index(fields=["published", "-published_at"], name="posting_published_idx"),
        ]

    def __str__(self) -> str:
        return self.slug


class Submission(models.Model):
    """What the candidate sent from the careers page with one application: their consent
    (the exact text and its version), their answers to the posting's questions, the source
    of the link they came from."""

    application = models.OneToOneField(
        "pipeline.Application", on_delete=models.CASCADE, related_name="submission"
    )
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="submissions")
    source = models.CharField(max_length=40)
    answers = models.JSONField(default=list)  # [{"question": ..., "answer": ...}]
    consent_version = models.CharField(max_length=20)
    consent_text = models.TextField()
    retention_months = models.PositiveSmallIntegerField()
    consented_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Submission for application {self.application_id}"


class ApplyAttempt(models.Model):
    """One POST of an apply form, kept for the rate limits and the refusal log: never what
    was sent, only keyed digests of the address and the e-mail (HMAC with the secret key, so
    the table alone names nobody), the posting and how it ended."""

    posting = models.ForeignKey(
        Posting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address_key = models.CharField(max_length=64)
    email_key = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            # The rate limits: "attempts from this address / for this e-mail since T".
            models.Index(fields=["address_key", "at"], name="attempt_address_idx"),
            models.Index(fields=["email_key", "at"], name="attempt_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} at {self.at:%Y-%m-%d %H:%M}"
