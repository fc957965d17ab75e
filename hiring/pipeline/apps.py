from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "hiring.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline"

    def ready(self) -> None:
        from hiring.notifications.registry import SweepStep, register_kind, register_sweep_step
        from hiring.pipeline import reminders

        register_kind(reminders.KIND)
        register_sweep_step(
            SweepStep(reminders.STALLED_DIGEST, "claim", reminders.claim_stalled_digest)
        )
