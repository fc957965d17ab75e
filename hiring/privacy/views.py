"""The privacy pages: a candidate's data as one JSON file (the button on their page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hiring.permissions import requires
from hiring.privacy.selectors import exportable_candidate
from hiring.privacy.services.export import Export, candidate_export

if TYPE_CHECKING:
    from hiring.permissions import SignedInRequest


def download(export: Export) -> HttpResponse:
    """The export as a file to save (never shown in the browser, never cached)."""
    response = JsonResponse(export.data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = export.content_disposition
    return response


@requires("candidates.export")
@never_cache
@require_GET
def candidate_export_download(request: SignedInRequest, pk: int) -> HttpResponse:
    candidate = exportable_candidate(request.user, pk)
    return download(candidate_export(candidate=candidate, actor=request.user))
