"""The demo logins: one per role, tied to the demo organisation's people."""

from __future__ import annotations

import pytest

from phare.accounts.demo import DEMO_ACCOUNTS
from phare.accounts.models import User
from phare.core.demo import DEMO_PASSWORD, DemoContext


@pytest.fixture
def demo(demo_through) -> DemoContext:
    # The accounts' step follows the directory's; later apps' steps add no login.
    return demo_through("accounts", seed=5, employees=150)


def test_it_creates_one_account_per_role(demo):
    users = {user.username: user for user in User.objects.select_related("person")}
    assert set(users) == {username for username, _role, _description in DEMO_ACCOUNTS}
    for username, role, _description in DEMO_ACCOUNTS:
        user = users[username]
        assert user.role == role
        assert user.person == demo.shared["demo_people"][username]
        assert user.email == user.person.email


def test_it_makes_only_the_admin_staff(demo):
    assert list(User.objects.filter(is_staff=True).values_list("username", flat=True)) == [
        "admin"
    ]


@pytest.mark.parametrize("username", [account[0] for account in DEMO_ACCOUNTS])
def test_it_lets_each_demo_account_log_in(demo, client, username):
    assert DEMO_PASSWORD == "phare-demo"
    response = client.post("/accounts/login/", {"username": username, "password": "phare-demo"})
    assert response.status_code == 302


def test_it_links_the_cio_to_the_head_of_the_it_department(demo):
    cio = User.objects.get(username="cio")
    assert cio.person.business_unit.code == "DSI"
    assert cio.display_name == "Stéphane Lefèvre"
