from __future__ import annotations

from django.urls import reverse

from phare.accounts.models import User
from phare.accounts.roles import Role
from tests.accounts.factories import PASSWORD


def test_an_admin_creates_an_account_linked_to_a_person(login, org):
    from tests.directory.factories import make_person

    make_person(org, "E0100", "Nadia", "Benali")
    client = login("admin")
    response = client.post(reverse("accounts:user_new"), {
        "username": "nbenali", "role": "owner", "person": "E0100",
        "email": "nadia.benali@example.com", "password": "Un-mot-de-passe-solide",
        "is_active": "on",
    })
    assert response.status_code == 302
    user = User.objects.get(username="nbenali")
    assert user.role == Role.OWNER
    assert user.person.employee_id == "E0100"
    assert user.check_password("Un-mot-de-passe-solide")


def test_account_creation_reports_each_bad_field(login):
    page = login("admin").post(reverse("accounts:user_new"), {
        "username": "marketing", "role": "king", "person": "NOBODY", "password": "123",
    }).content.decode()
    assert "Ce nom d’utilisateur est déjà pris." in page
    assert "Aucune personne n’a le matricule « NOBODY »." in page
    assert "king" in page  # Django's own message names the bad choice
    assert User.objects.count() == 5


def test_a_weak_password_is_refused(login):
    page = login("admin").post(reverse("accounts:user_new"), {
        "username": "newbie", "role": "employee", "password": "password",
    }).content.decode()
    assert "Ce mot de passe est trop courant." in page
    assert not User.objects.filter(username="newbie").exists()


def test_a_person_can_have_only_one_account(login, personas):
    page = login("admin").post(reverse("accounts:user_new"), {
        "username": "twin", "role": "employee", "person": "E0005",
        "password": "Un-mot-de-passe-solide",
    }).content.decode()
    assert "Cette personne a déjà un compte." in page


def test_an_admin_changes_a_role_and_disables_an_account(login, personas):
    employee = personas["employee"]
    client = login("admin")
    client.post(reverse("accounts:user_edit", args=[employee.pk]),
                {"role": "executive", "person": "E0005", "email": "e@example.com"})
    employee.refresh_from_db()
    assert employee.role == Role.EXECUTIVE
    assert not employee.is_active


def test_the_last_admin_cannot_remove_their_own_role(login, personas):
    admin = personas["admin"]
    page = login("admin").post(reverse("accounts:user_edit", args=[admin.pk]), {
        "role": "employee", "person": "E0001", "is_active": "on",
    }).content.decode()
    assert "au moins un administrateur actif" in page
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_an_admin_sets_a_new_password(login, personas):
    owner = personas["owner"]
    client = login("admin")
    weak = client.post(reverse("accounts:user_password", args=[owner.pk]), {"password": "abc"},
                       follow=True)
    assert "trop court" in weak.content.decode()
    client.post(reverse("accounts:user_password", args=[owner.pk]),
                {"password": "Encore-un-mot-de-passe"})
    owner.refresh_from_db()
    assert owner.check_password("Encore-un-mot-de-passe")


def test_everyone_can_change_their_own_password(login, personas):
    client = login("employee")
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Mon-nouveau-secret-2026",
        "new_password2": "Mon-nouveau-secret-2026",
    })
    assert response.status_code == 302
    personas["employee"].refresh_from_db()
    assert personas["employee"].check_password("Mon-nouveau-secret-2026")


def test_the_accounts_list_has_a_fixed_number_of_queries(login, personas,
                                                         django_assert_num_queries):
    client = login("admin")
    client.get(reverse("accounts:users"))
    with django_assert_num_queries(4):  # session, user, person, accounts with people and units
        page = client.get(reverse("accounts:users")).content.decode()
    assert "Mathilde Marchand (E0002)" in page
