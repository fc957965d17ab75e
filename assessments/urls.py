from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("bank/", views.bank, name="bank"),
    path("questions/<slug:key>/edit/", views.question_edit, name="question-edit"),
    path("red-flags/<slug:key>/edit/", views.red_flag_edit, name="red-flag-edit"),
]
