from django.urls import path
from rest_framework.routers import SimpleRouter

from roles import api

router = SimpleRouter()
router.register("roles", api.RoleViewSet, basename="role")
router.register("questions", api.QuestionViewSet, basename="question")
router.register("red-flags", api.RedFlagViewSet, basename="red-flag")
router.register("compensation-bands", api.BandViewSet, basename="compensation-band")

urlpatterns = [
    path("team-plan/", api.TeamPlanView.as_view(), name="api-team-plan"),
    *router.urls,
]
