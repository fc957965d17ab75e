"""The careers page's pure rules: how a posting reads, the candidate's status in plain
words, the spam checks' numbers. No ORM here (import-linter's "Pure rules" contract)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hiring.statuses import Status

# The consent's text, versioned: an application stores the version it agreed to and the
# text itself, so a later change of wording never rewrites what someone consented to.
CONSENT_VERSION = "2026-12-01"
CONSENT_TEXT = (
    "I agree that {company} stores and processes the data in this application (my name, "
    "contact details, links, answers and resume) to consider me for this and similar roles. "
    "It is kept for {months} months after my last application ends, then erased; I can ask "
    "for a copy or for it to be erased sooner at any time."
)

# Spam and abuse, without a third-party service (the app works offline).
MIN_SECONDS_TO_SUBMIT = 3  # a person reads the form first; a bot posts at once
MAX_FORM_AGE = dt.timedelta(hours=12)  # a form older than this is shown again, fresh
# Rate limits: attempts (accepted or refused) per key within the window.
WINDOW = dt.timedelta(hours=1)
PER_ADDRESS = 10  # one office or a café behind one address: generous
PER_EMAIL = 5
MAX_ANSWER_CHARS = 4000
MAX_QUESTIONS = 10
# ?source= from a job board or a referral link: short, plain.
SOURCE_CHARS = re.compile(r"[^a-z0-9._ -]")
DEFAULT_SOURCE = "careers page"
# How long a posting stays valid for search engines when the recruiter sets no date.
DEFAULT_VALID_DAYS = 60


class Workplace(Status):
    ON_SITE = "on_site", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class EmploymentType(Status):
    """schema.org's employmentType values."""

    FULL_TIME = "FULL_TIME", "Full-time"
    PART_TIME = "PART_TIME", "Part-time"
    CONTRACTOR = "CONTRACTOR", "Contract"
    TEMPORARY = "TEMPORARY", "Temporary"
    INTERN = "INTERN", "Internship"


class Outcome(Status):
    """How an apply attempt ended: kept without any of what was sent."""

    ACCEPTED = "accepted", "Accepted"
    HONEYPOT = "honeypot", "Honeypot filled"
    TOO_FAST = "too_fast", "Sent too fast"
    STALE = "stale", "Form too old or tampered"
    RATE_ADDRESS = "rate_address", "Too many from one address"
    RATE_EMAIL = "rate_email", "Too many for one e-mail"
    INVALID = "invalid", "Invalid input"
    DUPLICATE = "duplicate", "Already applied"
    CLOSED = "closed", "Posting closed"


def signal_question(signal: str) -> str:
    """A role profile's signal ("Model monitoring at scale"), worded as a question that asks
    for demonstrated work."""
    text = signal.strip().rstrip(".")
    return f"{text}: what have you shipped that shows it, and what happened in production?"


def default_questions(signals: list[str]) -> list[str]:
    return [signal_question(s) for s in signals if s.strip()][:MAX_QUESTIONS]


def clean_source(value: str | None) -> str:
    """A link's ?source= as stored: lower-case, plain characters, 40 at most."""
    text = SOURCE_CHARS.sub("", (value or "").strip().lower())[:40].strip()
    return text or DEFAULT_SOURCE


class Standing(Status):
    """Where a candidate stands, in plain words (the status page)."""

    RECEIVED = "received", "Application received"
    INTERVIEWING = "interviewing", "Interviewing"
    DECISION = "decision", "Decision pending"
    OFFER = "offer", "Offer"
    CLOSED = "closed", "Closed"


@dataclass(frozen=True)
class Facts:
    """What decides the standing: the application's status and stage kind, whether an
    offer went out to them, and whether an interview was ever scheduled."""

    status: str  # ApplicationStatus value
    stage_kind: str  # StageKind value
    offer_sent: bool
    interviewed: bool


STANDING_TEXT = {
    Standing.RECEIVED: "We have your application and are reading it. We will write to you "
    "either way.",
    Standing.INTERVIEWING: "You are interviewing with us. Your interviews are below.",
    Standing.DECISION: "Your interviews are done; the team is deciding. We will write to you soon.",
    Standing.OFFER: "We have made you an offer. Look out for it in your e-mail.",
    Standing.CLOSED: "This application is closed. Thank you for your time.",
}


def standing(facts: Facts) -> Standing:
    if facts.status in {"rejected", "withdrawn"}:
        return Standing.CLOSED
    if facts.status == "hired" or facts.offer_sent or facts.stage_kind in {"offer", "hired"}:
        return Standing.OFFER
    if facts.stage_kind == "debrief":
        return Standing.DECISION
    if facts.interviewed or facts.stage_kind == "interview":
        return Standing.INTERVIEWING
    return Standing.RECEIVED
