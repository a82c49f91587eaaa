from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from phare.accounts.models import ApiToken
from phare.accounts.services import TokenExpired, token_authenticate, token_create, token_revoke


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


def test_a_token_expires_after_the_configured_number_of_days(settings, personas):
    settings.PHARE_TOKEN_DAYS = 30
    before = timezone.now()
    token, raw = token_create(user=personas["marketing"], name="notebook")
    assert timedelta(days=30) <= token.expires_at - before < timedelta(days=30, minutes=1)
    assert token_authenticate(raw) == personas["marketing"]
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(TokenExpired):
        token_authenticate(raw)


def test_last_use_is_written_at_most_once_a_minute(personas, django_assert_num_queries):
    token, raw = token_create(user=personas["employee"], name="cli")
    token_authenticate(raw)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the lookup, no write
        token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=1)


def test_the_tokens_page_shows_the_last_use_and_the_expiry(login, personas):
    token, raw = token_create(user=personas["owner"], name="used")
    used = timezone.make_aware(datetime(2031, 3, 4, 10, 20))
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=used, expires_at=used + timedelta(days=1))
    old, _raw = token_create(user=personas["owner"], name="old")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    page = login("owner").get(reverse("accounts:tokens")).content.decode()
    assert "04/03/2031 10:20" in page
    assert "05/03/2031 10:20" in page
    assert "Expire le" in page  # the column heading
    assert "Expiré" in page
