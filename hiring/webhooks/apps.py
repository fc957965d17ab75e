from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "hiring.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from hiring.events import subscribe
        from hiring.notifications.registry import register_channel
        from hiring.webhooks.services.deliveries import deliveries_claim, delivery_send

        subscribe("webhooks", deliveries_claim)
        register_channel("webhook", delivery_send)
