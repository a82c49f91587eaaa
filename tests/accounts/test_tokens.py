from __future__ import annotations

from django.urls import reverse

from phare.accounts.models import ApiToken
from phare.accounts.services import token_authenticate, token_create, token_revoke


def test_it_stores_only_a_digest_of_the_token(personas):
    token, raw = token_create(user=personas["marketing"], name="notebook")
    assert raw.startswith("phare_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.digest, stored.prefix, stored.name)
    assert raw.startswith(stored.prefix)
    assert token_authenticate(raw) == personas["marketing"]


def test_it_refuses_revoked_unknown_and_inactive_tokens(personas):
    token, raw = token_create(user=personas["owner"], name="script")
    assert token_authenticate(raw + "x") is None
    assert token_authenticate("not-a-phare-token") is None
    token_revoke(token=token)
    assert token_authenticate(raw) is None
    _token2, raw2 = token_create(user=personas["owner"], name="other")
    personas["owner"].is_active = False
    personas["owner"].save()
    assert token_authenticate(raw2) is None


def test_it_records_when_a_token_was_last_used(client, personas):
    token, raw = token_create(user=personas["employee"], name="cli")
    assert token.last_used_at is None
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_tokens_page_shows_a_new_token_once_and_revokes_it(login):
    client = login("executive")
    page = client.post(reverse("accounts:tokens"), {"name": "Tableau de bord"}).content.decode()
    token = ApiToken.objects.get(user__username="executive")
    assert 'id="new-token"' in page
    assert "Tableau de bord" in page
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert 'id="new-token"' not in again
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "révoqué" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_people_cannot_revoke_someone_elses_token(login, personas):
    token, _raw = token_create(user=personas["admin"], name="admin's")
    response = login("employee").post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_form_requires_a_name(login):
    page = login("owner").post(reverse("accounts:tokens"), {"name": ""}).content.decode()
    assert "Ce champ est obligatoire" in page
    assert not ApiToken.objects.exists()
