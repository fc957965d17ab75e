"""Demo data for `make run`: one user per role and a small pipeline, safe to run again.

`--applications N` instead tops the database up to N applications in bulk (for the
benchmark and for trying the pages at scale); run after `load_playbook`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hiring.demo.careers import seed_demo_postings
from hiring.demo.interviews import seed_interview_demo
from hiring.demo.offers import seed_demo_offers
from hiring.demo.outcomes import seed_demo_outcomes
from hiring.demo.pipeline import SeedError, seed_applications, seed_small_demo
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER

# username, password, first name, last name, roles
DEMO_USERS = [
    ("recruiter", "recruiter-demo-2026", "Riley", "Recruiter", [RECRUITER]),
    ("interviewer", "interviewer-demo-2026", "Ines", "Interviewer", [INTERVIEWER]),
    ("manager", "manager-demo-2026", "Morgan", "Manager", [HIRING_MANAGER, INTERVIEWER]),
    ("admin", "admin-demo-2026", "Ada", "Admin", [ADMIN]),
]


class Command(BaseCommand):
    help = (
        "Create the demo users (one per role; running again resets their passwords) and a "
        "small demo pipeline (created once). With --applications N, top the data set up to "
        "N applications instead, with bulk inserts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--applications",
            type=int,
            metavar="N",
            help="Generate a large data set: add applications until there are N in total",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (reproducible)")

    def handle(self, *args: Any, **options: Any) -> None:
        users = self._users()
        try:
            if options["applications"] is not None:
                if options["applications"] < 0:
                    raise CommandError("--applications must be 0 or more")
                report = seed_applications(
                    total=options["applications"],
                    seed=options["seed"],
                    interviewers=[users["interviewer"]],
                )
            else:
                report = seed_small_demo(
                    recruiter=users["recruiter"],
                    manager=users["manager"],
                    interviewers=[users["interviewer"]],
                )
                offers = seed_demo_offers(
                    recruiter=users["recruiter"], manager=users["manager"], admin=users["admin"]
                )
                if offers:
                    self.stdout.write(f"Demo offers: {offers} in various states")
                postings = seed_demo_postings(recruiter=users["recruiter"])
                if postings:
                    self.stdout.write(f"Demo postings: {postings} (on /careers/)")
                self.stdout.write(
                    seed_interview_demo(
                        recruiter=users["recruiter"],
                        manager=users["manager"],
                        interviewer=users["interviewer"],
                    )
                )
                history = seed_demo_outcomes(
                    recruiter=users["recruiter"],
                    manager=users["manager"],
                    interviewer=users["interviewer"],
                )
                if history:
                    self.stdout.write(history)
        except SeedError as error:
            raise CommandError(str(error)) from None
        if settings.DEBUG:
            self.stdout.write("Demo logins (username / password / roles):")
            for username, password, _first, _last, roles in DEMO_USERS:
                self.stdout.write(f"  {username:<12} {password:<24} {', '.join(roles)}")
        else:
            # Logs of a server are read by more people than its users: no passwords in them.
            names = ", ".join(username for username, *_ in DEMO_USERS)
            self.stdout.write(
                f"Demo logins: {names}; their passwords are in README.md, 'Demo logins'."
            )
        self.stdout.write(f"Demo data: {report.summary()}")

    def _users(self) -> dict[str, User]:
        users = {}
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
                users[username] = user
        return users
