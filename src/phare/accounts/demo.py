"""Demo step for accounts: one login per role, each tied to a person of the demo organisation."""

from __future__ import annotations

from phare.accounts.roles import Role
from phare.accounts.services import user_create
from phare.lib.demo import DEMO_PASSWORD, DemoContext

#: (username, role, who it is) for each demo login; the username is also the key of the person
#: in ``ctx.shared["demo_people"]``. Shown by ``phare demo`` and in the README.
DEMO_ACCOUNTS: list[tuple[str, Role, str]] = [
    ("admin", Role.ADMIN,
     "Administrator of Phare, in the IT department's Infrastructure & Cloud team"),
    ("marketing", Role.MARKETING,
     "Hélène Marchand, marketing & communication lead of the IT department"),
    ("owner", Role.OWNER, "Service owner in the IT department's business applications team"),
    ("cio", Role.EXECUTIVE, "Stéphane Lefèvre, CIO, head of the IT department"),
    ("employee", Role.EMPLOYEE, "A sales employee in France, a user of IT services"),
]


def build(ctx: DemoContext) -> None:
    people = ctx.shared["demo_people"]
    for username, role, _description in DEMO_ACCOUNTS:
        person = people[username]
        # The shared demo password would fail the validators; it only ever exists in demo data.
        user_create(username=username, password=DEMO_PASSWORD, role=role, email=person.email,
                    person=person, validate=False)
    names = ", ".join(username for username, _role, _description in DEMO_ACCOUNTS)
    ctx.say(f"accounts: {len(DEMO_ACCOUNTS)} demo logins ({names}), password {DEMO_PASSWORD!r}")
