"""``phare createadmin``: create an administrator account."""

from __future__ import annotations

import getpass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.accounts.services import user_create
from phare.core.dbstate import pending_migrations


class Command(BaseCommand):
    help = ("Create an administrator. Without a terminal, give --username and set "
            "PHARE_ADMIN_PASSWORD.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username")
        parser.add_argument("--email", default="")
        parser.add_argument("--noinput", "--no-input", action="store_true",
                            help="take the password from PHARE_ADMIN_PASSWORD; ask nothing")

    def handle(self, *args, **options) -> None:
        try:
            pending = pending_migrations()
        except OperationalError as exc:  # e.g. no SQLite file yet: its folder is made by migrate
            raise CommandError(f"The database cannot be opened ({exc}): "
                               "run `phare migrate` first.") from None
        if pending:
            raise CommandError("The database is not ready: run `phare migrate` first.")
        interactive = not options["noinput"]
        username = options["username"] or (input("Username: ").strip() if interactive else "")
        if not username:
            raise CommandError("--username: a username is required")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"--username: the user {username!r} already exists")
        email = options["email"] or (input("Email (optional): ").strip() if interactive else "")
        password = None if interactive else (settings.PHARE_ADMIN_PASSWORD or None)
        if not interactive and not password:
            raise CommandError("PHARE_ADMIN_PASSWORD: set it to the new administrator's password")
        while password is None:
            first = getpass.getpass("Password: ")
            if first != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ; try again.")
                continue
            try:
                validate_password(first, User(username=username, email=email))
            except ValidationError as exc:
                self.stderr.write("\n".join(exc.messages))
                continue
            password = first
        try:
            user_create(username=username, email=email, password=password, role=Role.ADMIN)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Administrator {username!r} created."))
