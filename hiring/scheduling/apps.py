from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "hiring.scheduling"
    label = "scheduling"
    verbose_name = "Candidates picking their interview slot"
