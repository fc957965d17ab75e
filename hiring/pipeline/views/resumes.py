"""A candidate's resume: download, and the inline preview of a PDF on the candidate page.

Only someone who may see the candidate gets the file (anyone else a 404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from hiring.pipeline.models import Candidate
from hiring.pipeline.selectors.candidate import visible_candidate
from hiring.pipeline.services.candidates import PDF

if TYPE_CHECKING:
    from hiring.permissions import SignedInRequest

# The resume is someone's private document: never cached, never sniffed, runs nothing.
FILE_CSP = "default-src 'none'; frame-ancestors 'self'"


def _resume_response(candidate: Candidate, *, inline: bool) -> FileResponse:
    if not candidate.resume:
        raise Http404("No resume")
    try:
        handle = candidate.resume.open("rb")
    except FileNotFoundError:
        raise Http404("The resume file is missing") from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=candidate.resume_name or "resume",
        content_type=candidate.resume_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    return response


@login_required
@never_cache
@require_GET
def resume_download(request: SignedInRequest, pk: int) -> FileResponse:
    return _resume_response(visible_candidate(request.user, pk), inline=False)


@login_required
@never_cache
@xframe_options_sameorigin  # shown in an <iframe> on the candidate page; DENY elsewhere
@require_GET
def resume_preview(request: SignedInRequest, pk: int) -> FileResponse:
    candidate = visible_candidate(request.user, pk)
    if candidate.resume_content_type != PDF:
        raise Http404("Only PDF resumes have a preview")
    return _resume_response(candidate, inline=True)
