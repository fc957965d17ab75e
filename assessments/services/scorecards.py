"""Scorecards: opening one, autosaving it while the interviewer types, submitting, reopening.

Autosave is the hottest write in the product, so it is two statements in one transaction: a
conditional `UPDATE scorecard SET version = version + 1 … WHERE id = ? AND interviewer = ?
AND status = 'draft' AND version = ?` and an UPDATE of each changed answer or red-flag row
(every row exists from the moment the scorecard is opened). When the first UPDATE matches
nothing, a few more queries find out why: a stale version (another tab saved first) is a
409 with the saved state, so the page can offer both texts to merge and nothing is lost.

Draft saves are not written to the audit log (one entry per keystroke burst would drown it);
submitting and reopening are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from assessments.models import (
    Interview,
    InterviewQuestion,
    Rating,
    Recommendation,
    RedFlag,
    Scorecard,
    ScorecardAnswer,
    ScorecardChange,
    ScorecardRedFlag,
)
from assessments.rules import SCORECARD_TRANSITIONS, InterviewStatus, ScorecardStatus
from assessments.selectors.scorecards import assigned_questions
from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.events import emit
from hiring.ids import MAX_ID, parse_int
from hiring.statuses import transition_allowed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TEXT_LIMIT = 20_000  # notes and summary: a long interview, typed fast, fits many times over
EVIDENCE_LIMIT = 5_000
MAX_VERSION = 2**31 - 1  # the version column is a 32-bit integer
KEEP: Any = object()  # "this field was not sent": leave it as it is


class ScorecardConflict(DomainError):
    """A save based on a stale version (409). `current` is the saved state, to merge with."""

    def __init__(self, message: str, *, current: dict[str, Any]) -> None:
        super().__init__(message, fields={"version": [message]}, status=409)
        self.current = current


@dataclass(frozen=True)
class AnswerChange:
    question_version: int
    rating: Any = KEEP  # 1..4, or None to clear
    notes: Any = KEEP


@dataclass(frozen=True)
class FlagChange:
    red_flag: str  # the red flag's key
    raised: Any = KEEP
    evidence: Any = KEEP


@dataclass(frozen=True)
class ScorecardChanges:
    recommendation: Any = KEEP
    summary: Any = KEEP
    answers: tuple[AnswerChange, ...] = ()
    red_flags: tuple[FlagChange, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return (
            self.recommendation is KEEP
            and self.summary is KEEP
            and not self.answers
            and not self.red_flags
        )


@dataclass(frozen=True)
class Saved:
    version: int
    saved_at: datetime


# Input ------------------------------------------------------------------------------------


def _text(value: Any, name: str, limit: int, errors: dict[str, list[str]]) -> str:
    if not isinstance(value, str):
        errors.setdefault(name, []).append("Must be text.")
        return ""
    if len(value) > limit:
        errors.setdefault(name, []).append(f"At most {limit:,} characters.")
    elif "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        errors.setdefault(name, []).append("Contains characters that cannot be stored.")
    return value


def _whole(value: Any, *, low: int, high: int) -> int | None:
    """A whole number in [low, high] from JSON or a form (surrounding spaces allowed), else None."""
    return parse_int(value.strip() if isinstance(value, str) else value, low=low, high=high)


def changes_from_data(data: Any) -> tuple[int, ScorecardChanges]:
    """Read a save request: `{"version": 3, "summary": …, "recommendation": …,
    "answers": [{"question_version": 12, "rating": 3, "notes": …}],
    "red_flags": [{"red_flag": "every-project-successful", "raised": true, "evidence": …}]}`.

    Only the keys sent are changed. A bad value is a DomainError naming the field.
    """
    errors: dict[str, list[str]] = {}
    if not isinstance(data, Mapping):
        raise DomainError("Send a JSON object.", fields={"non_field_errors": ["Not an object."]})
    version = _whole(data.get("version"), low=1, high=MAX_VERSION)
    if version is None:
        errors["version"] = ["The version this save is based on (a positive whole number)."]
    recommendation, summary = KEEP, KEEP
    if "recommendation" in data:
        recommendation = data["recommendation"]
        if recommendation not in ("", *Recommendation.values):
            errors["recommendation"] = [f"Choose one of: {', '.join(Recommendation.values)}."]
    if "summary" in data:
        summary = _text(data["summary"], "summary", TEXT_LIMIT, errors)
    answers = tuple(_answers(data.get("answers", []), errors))
    flags = tuple(_flags(data.get("red_flags", []), errors))
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(f"Not saved: {first}", fields=errors)
    return version or 0, ScorecardChanges(recommendation, summary, answers, flags)


def _answers(items: Any, errors: dict[str, list[str]]) -> Iterable[AnswerChange]:
    if not isinstance(items, list) or len(items) > 100:
        errors["answers"] = ["A list of at most 100 answers."]
        return
    for item in items:
        qv = (
            _whole(item.get("question_version"), low=1, high=MAX_ID)
            if isinstance(item, Mapping)
            else None
        )
        if qv is None:
            errors.setdefault("answers", []).append("Each answer names its question_version.")
            continue
        rating, notes = KEEP, KEEP
        if "rating" in item:
            rating = item["rating"]
            if rating is not None:
                rating = _whole(rating, low=min(Rating.values), high=max(Rating.values))
                if rating is None:
                    errors.setdefault(f"rating-{qv}", []).append("A rating is 1, 2, 3 or 4.")
        if "notes" in item:
            notes = _text(item["notes"], f"notes-{qv}", TEXT_LIMIT, errors)
        yield AnswerChange(qv, rating, notes)


def _flags(items: Any, errors: dict[str, list[str]]) -> Iterable[FlagChange]:
    if not isinstance(items, list) or len(items) > 50:
        errors["red_flags"] = ["A list of at most 50 red flags."]
        return
    for item in items:
        key = item.get("red_flag") if isinstance(item, Mapping) else None
        if not isinstance(key, str) or not 0 < len(key) <= 60:
            errors.setdefault("red_flags", []).append("Each red flag is named by its key.")
            continue
        raised, evidence = KEEP, KEEP
        if "raised" in item:
            raised = item["raised"]
            if not isinstance(raised, bool):
                errors.setdefault(f"flag-{key}", []).append("raised is true or false.")
        if "evidence" in item:
            evidence = _text(item["evidence"], f"evidence-{key}", EVIDENCE_LIMIT, errors)
        yield FlagChange(key, raised, evidence)


# Opening ----------------------------------------------------------------------------------


def scorecard_open(*, interview: Interview, interviewer: User) -> Scorecard:
    """The interviewer's scorecard for the interview, created on first open.

    Creating it also creates one answer row per assigned question (at the version that was
    scheduled: what gets asked) and one row per red flag, so saves only ever UPDATE. A draft
    opened after the recruiter added a question gets that question's row too.
    """
    scorecard = Scorecard.objects.filter(interview=interview, interviewer=interviewer).first()
    if scorecard is None:
        try:
            with transaction.atomic():
                scorecard = Scorecard.objects.create(interview=interview, interviewer=interviewer)
                _add_missing_rows(scorecard, interview, interviewer, fresh=True)
            return scorecard
        except IntegrityError:  # the same page opened twice at once: the other one won
            return Scorecard.objects.get(interview=interview, interviewer=interviewer)
    if scorecard.status == ScorecardStatus.DRAFT:
        _add_missing_rows(scorecard, interview, interviewer, fresh=False)
    return scorecard


def _add_missing_rows(
    scorecard: Scorecard, interview: Interview, interviewer: User, fresh: bool
) -> None:
    wanted = [
        q.question_version_id
        for q in InterviewQuestion.objects.filter(interview=interview)
        .filter(Q(interviewer__isnull=True) | Q(interviewer=interviewer))
        .order_by("position", "id")
    ]
    have: set[int] = set()
    flags_have: set[int] = set()
    if not fresh:
        have = set(scorecard.answers.values_list("question_version_id", flat=True))
        flags_have = set(scorecard.red_flags.values_list("red_flag_id", flat=True))
    missing = [qv for qv in dict.fromkeys(wanted) if qv not in have]
    if missing:
        ScorecardAnswer.objects.bulk_create(
            [ScorecardAnswer(scorecard=scorecard, question_version_id=qv) for qv in missing],
            ignore_conflicts=True,
        )
    flag_ids = _red_flag_ids()
    missing_flags = [pk for pk in flag_ids.values() if pk not in flags_have]
    if missing_flags and (fresh or len(flags_have) < len(flag_ids)):
        ScorecardRedFlag.objects.bulk_create(
            [ScorecardRedFlag(scorecard=scorecard, red_flag_id=pk) for pk in missing_flags],
            ignore_conflicts=True,
        )


def scorecard_of(*, interview: Interview, interviewer: User) -> Scorecard | None:
    """The interviewer's scorecard for the interview: opened (created the first time) while it
    is scheduled; once it is cancelled, only one that exists already (None otherwise)."""
    if interview.status == InterviewStatus.CANCELLED:
        return Scorecard.objects.filter(interview=interview, interviewer=interviewer).first()
    return scorecard_open(interview=interview, interviewer=interviewer)


@lru_cache(maxsize=1)
def _cached_red_flag_ids() -> dict[str, int]:
    return dict(RedFlag.objects.values_list("key", "pk"))


def _red_flag_ids() -> dict[str, int]:
    return dict(RedFlag.objects.values_list("key", "pk"))


def red_flag_id(key: str) -> int | None:
    """A red flag's id by key. Keys never change, so the map is kept per process (re-read
    once when a key is missing: a flag added since)."""
    ids = _cached_red_flag_ids()
    if key not in ids:
        _cached_red_flag_ids.cache_clear()
        ids = _cached_red_flag_ids()
    return ids.get(key)


# Saving -----------------------------------------------------------------------------------


def scorecard_state(scorecard_id: int) -> dict[str, Any]:
    """What is saved now, in the shape a save sends: for the 409 merge and the page."""
    scorecard = Scorecard.objects.get(pk=scorecard_id)
    answers = ScorecardAnswer.objects.filter(scorecard_id=scorecard_id).order_by("id")
    flags = ScorecardRedFlag.objects.filter(scorecard_id=scorecard_id).select_related("red_flag")
    return {
        "id": scorecard.pk,
        "version": scorecard.version,
        "status": scorecard.status,
        "recommendation": scorecard.recommendation,
        "summary": scorecard.summary,
        "answers": [
            {"question_version": a.question_version_id, "rating": a.rating, "notes": a.notes}
            for a in answers
        ],
        "red_flags": [
            {"red_flag": f.red_flag.key, "raised": f.raised, "evidence": f.evidence}
            for f in sorted(flags, key=lambda f: f.red_flag.number)
        ],
    }


def scorecard_autosave(
    *, scorecard_id: int, actor: User, version: int, changes: ScorecardChanges
) -> Saved:
    """Save a draft's changed fields, if it is still at `version`; returns the new version.

    Refused: someone else's or an unknown scorecard (404), a submitted one (409, locked),
    a stale version (409 ScorecardConflict with the saved state), a question or red flag
    that is not on the scorecard (400). A refused save writes nothing.
    """
    now = timezone.now()
    values: dict[str, Any] = {"version": F("version") + 1, "updated_at": now}
    if changes.summary is not KEEP:
        values["summary"] = changes.summary
    if changes.recommendation is not KEEP:
        values["recommendation"] = changes.recommendation
    with transaction.atomic():
        matched = Scorecard.objects.filter(
            pk=scorecard_id,
            interviewer_id=getattr(actor, "pk", None),
            status=ScorecardStatus.DRAFT,
            version=version,
        ).update(**values)
        if not matched:
            raise _refusal(scorecard_id, actor)
        for answer in changes.answers:
            _save_answer(scorecard_id, answer)
        for flag in changes.red_flags:
            _save_flag(scorecard_id, flag)
    return Saved(version=version + 1, saved_at=now)


def _save_answer(scorecard_id: int, answer: AnswerChange) -> None:
    values = {}
    if answer.rating is not KEEP:
        values["rating"] = answer.rating
    if answer.notes is not KEEP:
        values["notes"] = answer.notes
    if not values:
        return
    rows = ScorecardAnswer.objects.filter(
        scorecard_id=scorecard_id, question_version_id=answer.question_version
    )
    if not rows.update(**values):
        name = f"rating-{answer.question_version}"
        raise DomainError(
            "That question is not on this scorecard; nothing was saved.",
            fields={name: ["Not a question of this scorecard."]},
        )


def _save_flag(scorecard_id: int, flag: FlagChange) -> None:
    values = {}
    if flag.raised is not KEEP:
        values["raised"] = flag.raised
    if flag.evidence is not KEEP:
        values["evidence"] = flag.evidence
    if not values:
        return
    updated = _update_flag(scorecard_id, red_flag_id(flag.red_flag), values)
    if not updated:  # a stale id map (the flag table was reloaded): look the key up afresh
        _cached_red_flag_ids.cache_clear()
        updated = _update_flag(scorecard_id, red_flag_id(flag.red_flag), values)
    if not updated:
        raise DomainError(
            f"There is no red flag {flag.red_flag!r} on this scorecard; nothing was saved.",
            fields={f"flag-{flag.red_flag}": ["Unknown red flag."]},
        )


def _update_flag(scorecard_id: int, flag_id: int | None, values: dict[str, Any]) -> int:
    if flag_id is None:
        return 0
    rows = ScorecardRedFlag.objects.filter(scorecard_id=scorecard_id, red_flag_id=flag_id)
    return rows.update(**values)


def _refusal(scorecard_id: int, actor: User) -> DomainError:
    """Why the conditional UPDATE matched nothing (the rare path: a few more queries)."""
    row = (
        Scorecard.objects.filter(pk=scorecard_id)
        .values("interviewer_id", "status", "version")
        .first()
    )
    if row is None or row["interviewer_id"] != getattr(actor, "pk", None):
        return DomainError("No such scorecard of yours.", status=404)
    if row["status"] == ScorecardStatus.SUBMITTED:
        return DomainError(
            "This scorecard was submitted and is locked; an admin can reopen it.",
            fields={"status": ["Submitted scorecards cannot be changed."]},
            status=409,
        )
    return ScorecardConflict(
        "This scorecard was saved from another tab or device since you opened it. "
        "Both versions are shown: choose what to keep, nothing is lost.",
        current=scorecard_state(scorecard_id),
    )


# Submitting and reopening -------------------------------------------------------------------


def submission_problems(
    *,
    unrated: list[tuple[int, int]],
    flags_without_evidence: list[tuple[str, str]],
    recommendation: str,
) -> dict[str, list[str]]:
    """Field errors for an incomplete scorecard: `unrated` is (question_version, number) and
    `flags_without_evidence` is (key, title). Empty when it may be submitted."""
    problems: dict[str, list[str]] = {}
    for qv, number in unrated:
        problems[f"rating-{qv}"] = [f"Rate Q{number} before submitting."]
    for key, title in flags_without_evidence:
        problems[f"evidence-{key}"] = [
            f"Write a line of evidence for '{title}', or untick the red flag."
        ]
    if not recommendation:
        problems["recommendation"] = ["Choose an overall recommendation (or No decision)."]
    return problems


def scorecard_post_form(
    *, scorecard: Scorecard, actor: User, data: Mapping[str, Any], submit: bool
) -> None:
    """The whole scorecard form at once (the page without JavaScript, and its Submit button):
    saved as a draft, then submitted when `submit`. A refused submit keeps the draft saved,
    so nothing typed is lost; `data` is a save request as `changes_from_data` reads it."""
    version, changes = changes_from_data(data)
    saved = scorecard_autosave(
        scorecard_id=scorecard.pk, actor=actor, version=version, changes=changes
    )
    if submit:
        scorecard_submit(scorecard=scorecard, actor=actor, version=saved.version)


def scorecard_set_status(
    *, scorecard: Scorecard, to: str, actor: User, reason: str = "", also: Iterable[str] = ()
) -> None:
    """Move a (locked) scorecard to `to`, as SCORECARD_TRANSITIONS allows, and record the move.

    Nothing happens when the status is unchanged; a move the map does not allow is refused
    (409). `also` names the other fields the caller changed with it, saved in the same UPDATE.
    """
    current = scorecard.status
    if not transition_allowed(
        SCORECARD_TRANSITIONS,
        current=current,
        new=to,
        what="scorecard",
        labels=dict(ScorecardStatus.choices),
    ):
        return
    scorecard.status = to
    scorecard.save(update_fields=["status", *also, "updated_at"])
    ScorecardChange.objects.create(
        scorecard=scorecard,
        from_status=current,
        to_status=to,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        at=timezone.now(),
    )


@transaction.atomic
def scorecard_submit(*, scorecard: Scorecard, actor: User, version: int) -> Scorecard:
    """Lock a complete scorecard. Every assigned question needs a rating, every raised red
    flag a line of evidence, and the scorecard an overall recommendation."""
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if scorecard.interviewer_id != getattr(actor, "pk", None):
        raise DomainError("Only the interviewer can submit their scorecard.", status=403)
    if scorecard.status == ScorecardStatus.SUBMITTED:
        raise DomainError("This scorecard is already submitted.", status=409)
    if scorecard.version != version:
        raise _refusal(scorecard.pk, actor)
    assigned = {
        q.question_version_id: q.question_version.question.number
        for q in assigned_questions(interview=scorecard.interview_id, interviewer=actor)
    }
    answers = scorecard.answers.filter(question_version_id__in=assigned)
    unrated = sorted(
        ((a.question_version_id, assigned[a.question_version_id]) for a in answers if not a.rating),
        key=lambda pair: pair[1],
    )
    flags = scorecard.red_flags.filter(raised=True).select_related("red_flag")
    missing = [(f.red_flag.key, f.red_flag.title) for f in flags if not f.evidence.strip()]
    problems = submission_problems(
        unrated=unrated, flags_without_evidence=missing, recommendation=scorecard.recommendation
    )
    if problems:
        raise DomainError(_incomplete_message(unrated, missing, scorecard), fields=problems)
    scorecard.submitted_at = timezone.now()
    scorecard.version += 1
    scorecard_set_status(
        scorecard=scorecard,
        to=ScorecardStatus.SUBMITTED,
        actor=actor,
        also=["submitted_at", "version"],
    )
    audit_record(
        actor=actor,
        action="scorecard.submit",
        target=scorecard,
        after={
            "recommendation": scorecard.recommendation,
            "flags": [f.red_flag.key for f in flags],
        },
    )
    interview = scorecard.interview
    emit(
        "scorecard.submitted",
        subject=scorecard,
        data={
            "scorecard": {
                "id": scorecard.pk,
                "interview_id": interview.pk,
                "application_id": interview.application_id,
                "interviewer": actor.get_username(),
                "recommendation": scorecard.recommendation,
                "submitted_at": scorecard.submitted_at.isoformat(),
            }
        },
    )
    return scorecard


def _incomplete_message(
    unrated: list[tuple[int, int]], missing: list[tuple[str, str]], scorecard: Scorecard
) -> str:
    parts = []
    if unrated:
        numbers = ", ".join(f"Q{n}" for _, n in unrated)
        parts.append(f"rate {numbers}")
    for _, title in missing:
        parts.append(f"give evidence for the red flag '{title}'")
    if not scorecard.recommendation:
        parts.append("choose an overall recommendation")
    return "Not submitted yet: " + "; ".join(parts) + "."


@transaction.atomic
def scorecard_reopen(*, scorecard: Scorecard, actor: User, reason: str = "") -> Scorecard:
    """An admin unlocks a submitted scorecard so its interviewer can correct it (audited)."""
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if scorecard.status != ScorecardStatus.SUBMITTED:
        raise DomainError("Only a submitted scorecard can be reopened.", status=409)
    if len(reason) > 500:
        raise DomainError("Keep the reason under 500 characters.", fields={"reason": ["Too long."]})
    submitted_at = scorecard.submitted_at
    scorecard.submitted_at = None
    scorecard.version += 1
    scorecard_set_status(
        scorecard=scorecard,
        to=ScorecardStatus.DRAFT,
        actor=actor,
        reason=reason,
        also=["submitted_at", "version"],
    )
    audit_record(
        actor=actor,
        action="scorecard.reopen",
        target=scorecard,
        before={
            "status": "submitted",
            "submitted_at": submitted_at.isoformat() if submitted_at else None,
        },
        after={"status": "draft", **({"reason": reason} if reason else {})},
    )
    return scorecard
