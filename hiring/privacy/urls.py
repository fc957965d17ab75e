"""The privacy pages, under /candidates/ beside the candidate's own page."""

from django.urls import path

from hiring.privacy import views

app_name = "privacy"
urlpatterns = [
    path("<int:pk>/export/", views.candidate_export_download, name="candidate-export"),
]
