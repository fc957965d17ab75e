"""Demo postings on the careers page: the small demo's requisitions published, their public
descriptions taken from the playbook's role profiles (summary, signals, why the role
matters), so the demo invents no product content."""

from __future__ import annotations

from typing import Any

from hiring.careers.models import Posting
from hiring.careers.services.postings import posting_draft, posting_save
from hiring.demo.pipeline import SMALL_DEMO_TITLES
from hiring.pipeline.models import Requisition

# title -> (team, workplace, publish the band); the third stays unpublished (a draft).
DEMO_POSTINGS = {
    SMALL_DEMO_TITLES[0]: ("Applied ML", "hybrid", True),
    SMALL_DEMO_TITLES[1]: ("ML Platform", "remote", False),
}


def description_from_role(role: Any) -> str:
    signals = "\n".join(f"- {signal}" for signal in role.signals)
    parts = [f"## The role\n\n{role.summary}", f"## What we look for\n\n{signals}"]
    if role.misrepresented:
        parts.append(f"## Why it matters\n\n{role.misrepresented}")
    return "\n\n".join(parts) + "\n"


def seed_demo_postings(*, recruiter: Any) -> int:
    """Publish the demo postings once; returns how many were created."""
    created = 0
    for requisition in Requisition.objects.filter(title__in=SMALL_DEMO_TITLES).select_related(
        "role"
    ):
        if Posting.objects.filter(requisition=requisition).exists():
            continue
        team, workplace, band = DEMO_POSTINGS.get(requisition.title, ("Data Science", "on_site",
                                                                      False))  # fmt: skip
        draft = posting_draft(requisition)
        posting_save(
            requisition=requisition,
            fields={
                "slug": draft.slug.replace("-demo", ""),
                "team": team,
                "workplace": workplace,
                "employment_type": "FULL_TIME",
                "description": description_from_role(requisition.role),
                "publish_band": band,
                "questions": draft.questions,
            },
            actor=recruiter,
            published=requisition.title in DEMO_POSTINGS,
        )
        created += 1
    return created
