"""The directory: people and their groups, and the app registered as a client. (Staff, so
that the admin login page is the provider's sign-in page.)
Run as `python manage.py shell -c "from idp.seed import seed; seed()"`; the people come from
the PROVIDER_PEOPLE variable: username:password:group|group;..."""

import os

from django.contrib.auth.models import Group, User
from oauth2_provider.models import Application


def seed() -> None:
    for item in os.environ["PROVIDER_PEOPLE"].split(";"):
        username, password, groups = item.split(":")
        user = User.objects.create_user(
            username, f"{username}@corp.example.com", password,
            first_name=username.capitalize(), last_name="Corp", is_staff=True,
        )  # fmt: skip
        for name in filter(None, groups.split("|")):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    Application.objects.create(
        name="hiring",
        client_id=os.environ["PROVIDER_CLIENT_ID"],
        client_secret=os.environ["PROVIDER_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["PROVIDER_REDIRECT_URI"],
        post_logout_redirect_uris=os.environ["PROVIDER_LOGOUT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
