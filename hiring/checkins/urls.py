from django.urls import path

from hiring.checkins import views

app_name = "checkins"
urlpatterns = [
    path("", views.checkin_list, name="list"),
    path("<int:pk>/", views.checkin_fill, name="fill"),
]
