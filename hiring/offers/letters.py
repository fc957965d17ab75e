"""The offer letter as rules: its placeholders, the default text, the candidate's answers.

Pure: no ORM. Services gather the offer's plain values (`LetterFacts`) and fill the admin's
template with them through hiring.templating, whose checks refuse an unknown placeholder
when a template is saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from hiring.templating import fill, template_problems

# placeholder -> what it stands for (shown beside the template form).
PLACEHOLDERS: dict[str, str] = {
    "candidate_name": "The candidate's full name",
    "candidate_first_name": "The candidate's first name",
    "role": "The role (the requisition's title)",
    "level": "The level offered",
    "base_salary": "Base salary, with its currency (e.g. 150,000 USD)",
    "target_bonus": "Target bonus, with its currency",
    "total_cash": "Total cash (base + bonus), with its currency",
    "currency": "The currency code (e.g. USD)",
    "start_date": "The start date (e.g. Monday 5 January 2026)",
    "expiry_date": "The date the offer expires",
    "hiring_manager": "The hiring manager's name",
    "recruiter": "The recruiter's name",
    "company": "The company's name (COMPANY_NAME)",
}

DEFAULT_SUBJECT = "Your offer from {company}: {role}"
# One line per paragraph (a backslash joins a long one): the page and the PDF wrap it.
DEFAULT_BODY = """Dear {candidate_name},

We are delighted to offer you the position of {role} at {company}, at the level {level}.

Your compensation:
- Base salary: {base_salary} a year
- Target bonus: {target_bonus} a year
- Total cash: {total_cash} a year

Your start date is {start_date}. You will report to {hiring_manager}.

This offer is open until {expiry_date}. To accept it, sign it online from the link in our \
e-mail; if you have any question, {recruiter} will be glad to answer it.

We look forward to working with you.

{hiring_manager}, for {company}
"""

# What the candidate ticks when accepting: the electronic signature's statement.
SIGNATURE_STATEMENT = (
    "I accept this offer, and I agree that typing my full name here is my electronic "
    "signature of this letter."
)

# Why a candidate declines (optional): value -> label.
DECLINE_REASONS: dict[str, str] = {
    "compensation": "The compensation",
    "other_offer": "I accepted another offer",
    "role": "The role or the level",
    "start_date": "The start date",
    "location": "The location or the way of working",
    "staying": "I am staying where I am",
    "personal": "Personal reasons",
    "other": "Another reason",
}
MAX_SIGNATURE_NAME = 200
MAX_DECLINE_COMMENT = 1000


@dataclass(frozen=True)
class LetterFacts:
    """Everything a letter may say, as plain values."""

    candidate_name: str
    role: str
    level: str
    base_salary: int
    target_bonus: int
    currency: str
    start_date: dt.date
    expiry_date: dt.date
    hiring_manager: str
    recruiter: str
    company: str

    @property
    def total_cash(self) -> int:
        return self.base_salary + self.target_bonus


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def money(amount: int, currency: str) -> str:
    return f"{amount:,} {currency}"


def letter_values(facts: LetterFacts) -> dict[str, str]:
    """Each placeholder's text for these facts (the keys are PLACEHOLDERS')."""
    return {
        "candidate_name": facts.candidate_name,
        "candidate_first_name": (facts.candidate_name.split() or [""])[0],
        "role": facts.role,
        "level": facts.level,
        "base_salary": money(facts.base_salary, facts.currency),
        "target_bonus": money(facts.target_bonus, facts.currency),
        "total_cash": money(facts.total_cash, facts.currency),
        "currency": facts.currency,
        "start_date": long_date(facts.start_date),
        "expiry_date": long_date(facts.expiry_date),
        "hiring_manager": facts.hiring_manager,
        "recruiter": facts.recruiter,
        "company": facts.company,
    }


def letter_problems(*, subject: str, body: str) -> dict[str, list[str]]:
    """What stops a template being saved, by field (empty: it may be saved)."""
    problems: dict[str, list[str]] = {}
    for name, text in (("subject", subject), ("body", body)):
        found = template_problems(text, PLACEHOLDERS)
        if not text.strip():
            found = ["Write the text."]
        if found:
            problems[name] = found
    return problems


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str

    @property
    def digest(self) -> str:
        """A fingerprint of the exact text, printed on the signed copy's audit page."""
        return hashlib.sha256(f"{self.subject}\n{self.body}".encode()).hexdigest()


def letter_fill(*, subject: str, body: str, facts: LetterFacts) -> Letter:
    values = letter_values(facts)
    return Letter(subject=fill(subject, values).strip(), body=fill(body, values).strip())


def signature_matches(typed: str, name: str) -> bool:
    """The typed name is the candidate's, ignoring case and spacing."""

    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    return bool(norm(typed)) and norm(typed) == norm(name)
