"""Demo data for `make run`: one user per role, safe to run again."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER

# username, password, first name, last name, roles
DEMO_USERS = [
    ("recruiter", "recruiter-demo-2026", "Riley", "Recruiter", [RECRUITER]),
    ("interviewer", "interviewer-demo-2026", "Ines", "Interviewer", [INTERVIEWER]),
    ("manager", "manager-demo-2026", "Morgan", "Manager", [HIRING_MANAGER, INTERVIEWER]),
    ("admin", "admin-demo-2026", "Ada", "Admin", [ADMIN]),
]


class Command(BaseCommand):
    help = "Create the demo users (one per role). Running it again resets their passwords."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for username, password, first, last, roles in DEMO_USERS:
                user, _ = User.objects.get_or_create(
                    username=username,
                    defaults={"first_name": first, "last_name": last},
                )
                user.email = f"{username}@example.com"
                user.is_staff = ADMIN in roles
                user.is_superuser = ADMIN in roles
                user.set_password(password)
                user.save()
                user.groups.set(Group.objects.filter(name__in=roles))
        self.stdout.write("Demo logins (username / password / roles):")
        for username, password, _first, _last, roles in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {password:<24} {', '.join(roles)}")
