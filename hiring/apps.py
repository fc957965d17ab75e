from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring pipeline"

    def ready(self) -> None:
        from hiring.api_support import (
            refuse_control_characters_in_single_line_text,
            refuse_numbers_as_text,
        )

        refuse_numbers_as_text()
        refuse_control_characters_in_single_line_text()
