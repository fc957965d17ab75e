from django.urls import path

from hiring.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("<int:pk>/", views.endpoint_detail, name="detail"),
    path("<int:pk>/secret/", views.endpoint_secret, name="secret"),
    path("<int:pk>/deliveries/<int:delivery_id>/", views.delivery_detail, name="delivery"),
    path("<int:pk>/deliveries/<int:delivery_id>/again/", views.delivery_again, name="send-again"),
]
