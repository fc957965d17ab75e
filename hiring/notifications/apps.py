from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "hiring.notifications"
    label = "notifications"
    verbose_name = "Notifications"
