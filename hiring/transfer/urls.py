from django.urls import path

from hiring.transfer import views

app_name = "transfer"
urlpatterns = [
    path("export/", views.export_page, name="export"),
    path("export/requisition-options/", views.export_options, name="options"),
    path("export/everything.json", views.export_everything, name="export-everything"),
    path("export/<int:pk>.json", views.export_requisition, name="export-requisition"),
    path("imports/", views.imports_page, name="imports"),
    path("imports/<int:pk>/", views.import_job, name="import"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/refused.csv", views.import_refused_csv, name="import-refused"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import-retry"),
]
