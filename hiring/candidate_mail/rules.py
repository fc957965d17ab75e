"""Candidate e-mails as data: the kinds, the placeholders each may use, sample values for the
preview, and the texts shipped by default. Pure: no ORM (an import-linter contract).

The default texts are deliberately plain and neutral: they say what happened and what comes
next, and nothing about how the company assesses anyone (admins write that, if anything).
"""

from __future__ import annotations

from hiring.statuses import Status


class MailKind(Status):
    RECEIVED = "received", "Application received"
    SCHEDULED = "scheduled", "Interview scheduled"
    CHANGED = "changed", "Interview changed"
    CANCELLED = "cancelled", "Interview cancelled"
    NOT_MOVING_FORWARD = "rejected", "Not moving forward"


K = MailKind
# Every candidate e-mail is an outbox message about an application, claimed under this prefix.
SUBJECT_TYPE = "pipeline.Application"
KEY_PREFIX = "candidate-email:"
# Sent by the product when it happens (one template each, switched on or off); a rejection's
# template is chosen by the recruiter, from as many as the admins write.
AUTOMATIC = (K.RECEIVED, K.SCHEDULED, K.CHANGED, K.CANCELLED)
INTERVIEW_KINDS = (K.SCHEDULED, K.CHANGED, K.CANCELLED)

# placeholder -> what it stands for (shown beside the editor, and in "Unknown placeholder").
COMMON: dict[str, str] = {
    "candidate_first_name": "The candidate's first name",
    "candidate_name": "The candidate's full name",
    "role": "The requisition's title",
    "company": "The company's name",
    "recruiter_name": "The requisition's recruiter",
    "status_link": "The candidate's status page (empty where there is none)",
}
INTERVIEW: dict[str, str] = {
    "interview_name": "The interview round, e.g. Structured interview",
    "interview_time": "When it starts, in the candidate's time zone",
    "interview_duration": "How long it lasts, e.g. 60 minutes",
    "video_link": "The video call link (empty when the interview has a room instead)",
    "interview_location": "The room or the video link",
}


def placeholders_for(kind: str) -> dict[str, str]:
    """The placeholders a template of `kind` may use."""
    return {**COMMON, **INTERVIEW} if kind in INTERVIEW_KINDS else dict(COMMON)


# The preview fills a template with these.
SAMPLE: dict[str, str] = {
    "candidate_first_name": "Ada",
    "candidate_name": "Ada Lovelace",
    "role": "Platform ML engineer",
    "company": "Example Ltd",
    "recruiter_name": "Sam Recruiter",
    "status_link": "https://hiring.example.com/status/sample-link/",
    "interview_name": "Structured interview",
    "interview_time": "Tuesday 3 March 2026, 14:00 CET",
    "interview_duration": "60 minutes",
    "video_link": "https://meet.example.com/abc-defg-hij",
    "interview_location": "https://meet.example.com/abc-defg-hij",
}

SUBJECT_MAX = 200
BODY_MAX = 10_000
NAME_MAX = 120

_SIGN_OFF = "\n\nBest regards,\n{recruiter_name}\n{company}\n"
_STATUS = "\n\nWhere your application stands: {status_link}"

# kind -> (name, subject, body) shipped by the migration; admins edit them in the app.
DEFAULTS: dict[str, tuple[str, str, str]] = {
    K.RECEIVED: (
        "Application received",
        "We received your application: {role}",
        "Dear {candidate_first_name},\n\nThank you for applying for {role} at {company}. "
        "We received your application and will be in touch about the next steps."
        + _STATUS
        + _SIGN_OFF,
    ),
    K.SCHEDULED: (
        "Interview scheduled",
        "Interview for {role}: {interview_time}",
        "Dear {candidate_first_name},\n\nYour interview for {role} at {company} is scheduled.\n\n"
        "{interview_name}\nWhen: {interview_time} ({interview_duration})\n"
        "Where: {interview_location}\n\nThe calendar invite is attached." + _STATUS + _SIGN_OFF,
    ),
    K.CHANGED: (
        "Interview changed",
        "Interview changed for {role}: {interview_time}",
        "Dear {candidate_first_name},\n\nYour interview for {role} at {company} has changed. "
        "Here are the new details.\n\n{interview_name}\nWhen: {interview_time} "
        "({interview_duration})\nWhere: {interview_location}\n\n"
        "The updated calendar invite is attached." + _STATUS + _SIGN_OFF,
    ),
    K.CANCELLED: (
        "Interview cancelled",
        "Interview cancelled: {role}",
        "Dear {candidate_first_name},\n\nYour interview for {role} at {company} planned for "
        "{interview_time} is cancelled. We will be in touch about what happens next."
        + _STATUS
        + _SIGN_OFF,
    ),
    K.NOT_MOVING_FORWARD: (
        "Not moving forward",
        "Your application for {role}",
        "Dear {candidate_first_name},\n\nThank you for your interest in {role} at {company} "
        "and for the time you gave us. We have decided not to move forward with your "
        "application.\n\nWe wish you all the best." + _SIGN_OFF,
    ),
}
