"""Pipeline API: requisitions, candidates, applications, stage moves and notes.

Same permissions as the pages (`access.PipelineAccess`): recruiters and admins read and
write everything; hiring managers read their own requisitions' data; interviewers read only
what they interview, with credentials hidden in pedigree-blind requisitions. Anything
outside a user's visibility is a 404. Writes go through the services; their DomainError
becomes a 400, or a 409 when the data's current state refuses it.
"""

from rest_framework.routers import SimpleRouter

from hiring.pipeline.api.applications import ApplicationViewSet
from hiring.pipeline.api.candidates import CandidateViewSet
from hiring.pipeline.api.requisitions import RequisitionViewSet

router = SimpleRouter()
router.register("requisitions", RequisitionViewSet, basename="api-requisition")
router.register("candidates", CandidateViewSet, basename="api-candidate")
router.register("applications", ApplicationViewSet, basename="api-application")

urlpatterns = router.urls
