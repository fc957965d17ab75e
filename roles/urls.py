from django.urls import path

from roles import views

app_name = "roles"
urlpatterns = [
    path("", views.role_list, name="list"),
    path("team-plan/", views.team_plan, name="team-plan"),
    path("<slug:slug>/", views.role_detail, name="detail"),
    path("<slug:slug>/edit/", views.role_edit, name="edit"),
]
