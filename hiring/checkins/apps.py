from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "hiring.checkins"
    label = "checkins"
    verbose_name = "Check-ins on every hire (90 days to 18 months)"

    def ready(self) -> None:
        from hiring.checkins import reminders
        from hiring.checkins.services import checkins_schedule
        from hiring.notifications.registry import SweepStep, register_kind, register_sweep_step

        register_kind(reminders.KIND)
        register_sweep_step(SweepStep("checkins_schedule", "prepare", checkins_schedule))
        register_sweep_step(
            SweepStep(reminders.CHECKIN_REMINDER, "claim", reminders.claim_checkin_reminders)
        )
