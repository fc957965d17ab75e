from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "hiring.transfer"
    label = "transfer"
    verbose_name = "Moving data in and out"
