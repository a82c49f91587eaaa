"""Every page and API endpoint declares who may use it, and the server enforces it.

The expected matrix is written out here on purpose: adding a view or endpoint without adding
it below fails ``test_every_view_is_in_the_matrix``.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from phare.accounts.policy import PUBLIC
from phare.api import api

ALL = {"admin", "marketing", "owner", "executive", "employee"}
ADMIN = {"admin"}
READERS = {"admin", "marketing"}
JOBS = {"admin", "marketing"}
EDITORS = {"admin", "marketing", "owner"}
MANAGERS = {"admin", "marketing"}
SURVEYS = {"admin", "marketing"}
NEEDS = {"admin", "marketing"}
INSIGHTS = {"admin", "marketing", "executive"}

#: url name → (path to GET, personas allowed). "public" pages answer anyone.
PAGES: dict[str, tuple[str, set[str] | str]] = {
    "core:home": ("/", ALL),
    "core:healthz": ("/healthz", PUBLIC),
    "core:set_language": ("/language", PUBLIC),
    "accounts:login": ("/accounts/login/", PUBLIC),
    "accounts:logout": ("/accounts/logout/", PUBLIC),
    "accounts:tokens": ("/accounts/tokens/", ALL),
    "accounts:token_revoke": ("/accounts/tokens/1/revoke/", ALL),
    "accounts:password_change": ("/accounts/password/", ALL),
    "accounts:users": ("/accounts/users/", ADMIN),
    "accounts:user_new": ("/accounts/users/new/", ADMIN),
    "accounts:user_edit": ("/accounts/users/1/", ADMIN),
    "accounts:user_password": ("/accounts/users/999999/password/", ADMIN),
    "directory:people": ("/directory/", READERS),
    "directory:units": ("/directory/units/", READERS),
    "directory:import": ("/directory/import/", ADMIN),
    "directory:person": ("/directory/people/E0005/", READERS),
    "catalog:home": ("/catalogue/", ALL),
    "catalog:search": ("/catalogue/search/?q=vpn", ALL),
    "catalog:service": ("/catalogue/nothing-here/", ALL),
    "catalog:manage": ("/catalogue/manage/", EDITORS),
    "catalog:manage_new": ("/catalogue/manage/new/", EDITORS),
    "catalog:import": ("/catalogue/manage/import/", MANAGERS),
    "catalog:export": ("/catalogue/manage/export.xlsx", MANAGERS),
    "catalog:manage_detail": ("/catalogue/manage/nothing-here/", EDITORS),
    "catalog:manage_edit": ("/catalogue/manage/nothing-here/edit/", EDITORS),
    "catalog:manage_submit": ("/catalogue/manage/nothing-here/submit/", EDITORS),
    "catalog:manage_publish": ("/catalogue/manage/nothing-here/publish/", MANAGERS),
    "catalog:manage_send_back": ("/catalogue/manage/nothing-here/send-back/", MANAGERS),
    "catalog:manage_unpublish": ("/catalogue/manage/nothing-here/unpublish/", MANAGERS),
    "catalog:manage_lifecycle": ("/catalogue/manage/nothing-here/lifecycle/", EDITORS),
    # listening: builder
    "listening:surveys": ("/surveys/", SURVEYS),
    "listening:survey_new": ("/surveys/new/", SURVEYS),
    "listening:survey": ("/surveys/nothing-here/", SURVEYS),
    "listening:survey_settings": ("/surveys/nothing-here/settings/", SURVEYS),
    "listening:survey_status": ("/surveys/nothing-here/status/", SURVEYS),
    "listening:section_new": ("/surveys/nothing-here/sections/new/", SURVEYS),
    "listening:section_edit": ("/surveys/nothing-here/sections/1/", SURVEYS),
    "listening:section_delete": ("/surveys/nothing-here/sections/1/delete/", SURVEYS),
    "listening:question_new": ("/surveys/nothing-here/questions/new/", SURVEYS),
    "listening:question_edit": ("/surveys/nothing-here/questions/nps/edit/", SURVEYS),
    "listening:question_delete": ("/surveys/nothing-here/questions/nps/delete/", SURVEYS),
    "listening:question_move": ("/surveys/nothing-here/questions/nps/move/", SURVEYS),
    "listening:version": ("/surveys/nothing-here/versions/1/", SURVEYS),
    # listening: answering (public pages)
    "answer:respond": ("/s/" + "t" * 32 + "/", PUBLIC),
    "answer:thanks": ("/s/" + "t" * 32 + "/thanks/", PUBLIC),
    "answer:respond_json": ("/s/" + "t" * 32 + "/response.json", PUBLIC),
    "answer:open": ("/s/open/nothing-here/", PUBLIC),
    "answer:open_thanks": ("/s/open/nothing-here/thanks/", PUBLIC),
    "answer:open_json": ("/s/open/nothing-here/response.json", PUBLIC),
    # listening: waves, invitations, reminders, opt-out
    "listening:waves": ("/surveys/nothing-here/waves/", SURVEYS),
    "listening:wave_new": ("/surveys/nothing-here/waves/new/", SURVEYS),
    "listening:wave_preview": ("/surveys/nothing-here/waves/preview/", SURVEYS),
    "listening:wave": ("/surveys/nothing-here/waves/1/", SURVEYS),
    "listening:wave_launch": ("/surveys/nothing-here/waves/1/launch/", SURVEYS),
    "listening:wave_remind": ("/surveys/nothing-here/waves/1/remind/", SURVEYS),
    "answer:opt_out": ("/s/optout/no-such-token/", PUBLIC),
    # listening: ticket feedback
    "listening:tickets": ("/surveys/tickets/", SURVEYS),
    "listening:tickets_import": ("/surveys/tickets/import/", SURVEYS),
    "answer:ticket_rate": ("/s/t/no-such-token/5/", PUBLIC),
    "answer:ticket_followups": ("/s/t/no-such-token/", PUBLIC),
    "answer:ticket_thanks": ("/s/t/no-such-token/thanks/", PUBLIC),
    # listening: imports and exports
    "listening:import": ("/surveys/import/", SURVEYS),
    "listening:import_job": ("/surveys/import/00000000-0000-0000-0000-000000000000/", SURVEYS),
    "listening:export": ("/surveys/nothing-here/export/", SURVEYS),
    "listening:export_file": ("/surveys/nothing-here/export.csv", SURVEYS),
    # needs
    "needs:list": ("/needs/", ALL),
    "needs:new": ("/needs/new/", ALL),
    "needs:similar": ("/needs/similar/?title=imprimante", ALL),
    "needs:detail": ("/needs/999999/", ALL),
    "needs:vote": ("/needs/999999/vote/", ALL),
    "needs:follow": ("/needs/999999/follow/", ALL),
    "needs:comment": ("/needs/999999/comment/", ALL),
    "needs:decision": ("/needs/decisions/999999/", ALL),
    "needs:status": ("/needs/999999/status/", NEEDS),
    "needs:merge": ("/needs/999999/merge/", NEEDS),
    "needs:score": ("/needs/999999/score/", NEEDS),
    "needs:criteria": ("/needs/criteria/", NEEDS),
    "needs:export": ("/needs/export.csv", NEEDS),
    "needs:import": ("/needs/import/", NEEDS),
    "needs:campaigns": ("/needs/campaigns/", NEEDS),
    "needs:campaign_new": ("/needs/campaigns/new/", NEEDS),
    "needs:campaign": ("/needs/campaigns/999999/", NEEDS),
    "needs:campaign_edit": ("/needs/campaigns/999999/edit/", NEEDS),
    "needs:campaign_rules": ("/needs/campaigns/999999/rules/", NEEDS),
    "needs:campaign_run": ("/needs/campaigns/999999/run/", NEEDS),
    "needs:arbitration": ("/needs/campaigns/999999/runs/1/", NEEDS),
    "needs:campaign_decide": ("/needs/campaigns/999999/decide/", NEEDS),
    "needs:campaign_publish": ("/needs/campaigns/999999/publish/", NEEDS),
    # insights
    "insights:home": ("/insights/", INSIGHTS | {"owner"}),
    "insights:barometer": ("/insights/barometer/nothing-here/", INSIGHTS),
    "insights:tickets": ("/insights/tickets/", INSIGHTS | {"owner"}),
    "insights:verbatims": ("/insights/verbatims/", INSIGHTS),
    "insights:value_card": ("/insights/services/nothing-here/card/", INSIGHTS | {"owner"}),
    "jobs:list": ("/jobs/", JOBS),
    "jobs:detail": ("/jobs/00000000-0000-0000-0000-000000000000/", JOBS),
}

#: Pages that only answer POST.
POSTED = {name for name in PAGES if name.endswith(
    ("revoke", "user_password", "submit", "publish", "send_back", "lifecycle"))}
POSTED |= {"listening:wave_launch", "listening:wave_remind"}  # listening: waves
POSTED |= {"listening:survey_settings", "listening:survey_status", "listening:section_new",
           "listening:section_edit", "listening:section_delete",
           "listening:question_move"}  # listening: builder

#: (method, path template) → personas allowed.
ENDPOINTS: dict[tuple[str, str], set[str]] = {
    ("GET", "/me"): ALL,
    ("GET", "/tokens"): ALL,
    ("POST", "/tokens"): ALL,
    ("DELETE", "/tokens/{token_id}"): ALL,
    ("GET", "/people"): READERS,
    ("GET", "/people/{employee_id}"): READERS,
    ("GET", "/business-units"): READERS,
    ("GET", "/sites"): READERS,
    ("GET", "/job-families"): READERS,
    ("POST", "/directory/imports"): ADMIN,
    ("GET", "/services"): ALL,
    ("GET", "/services/{slug}"): ALL,
    ("POST", "/services"): EDITORS,
    ("PATCH", "/services/{slug}"): EDITORS,
    ("POST", "/services/{slug}/submit"): EDITORS,
    ("POST", "/services/{slug}/publish"): MANAGERS,
    ("POST", "/services/{slug}/send-back"): MANAGERS,
    ("POST", "/services/{slug}/unpublish"): MANAGERS,
    ("POST", "/services/{slug}/lifecycle"): EDITORS,
    # listening: surveys
    ("GET", "/surveys"): SURVEYS,
    ("POST", "/surveys"): SURVEYS,
    ("GET", "/surveys/{slug}"): SURVEYS,
    ("PATCH", "/surveys/{slug}"): SURVEYS,
    ("POST", "/surveys/{slug}/sections"): SURVEYS,
    ("PATCH", "/surveys/{slug}/sections/{position}"): SURVEYS,
    ("DELETE", "/surveys/{slug}/sections/{position}"): SURVEYS,
    ("POST", "/surveys/{slug}/questions"): SURVEYS,
    ("PATCH", "/surveys/{slug}/questions/{code}"): SURVEYS,
    ("DELETE", "/surveys/{slug}/questions/{code}"): SURVEYS,
    ("POST", "/surveys/{slug}/questions/{code}/move"): SURVEYS,
    ("GET", "/surveys/{slug}/versions/{number}"): SURVEYS,
    # listening: waves
    ("GET", "/surveys/{slug}/waves"): SURVEYS,
    ("POST", "/surveys/{slug}/waves"): SURVEYS,
    ("GET", "/surveys/{slug}/waves/{number}"): SURVEYS,
    ("POST", "/surveys/{slug}/waves/{number}/launch"): SURVEYS,
    ("POST", "/surveys/{slug}/waves/{number}/remind"): SURVEYS,
    # listening: tickets
    ("POST", "/tickets"): SURVEYS,
    ("GET", "/tickets"): SURVEYS,
    ("GET", "/tickets/{external_id}"): SURVEYS,
    # listening: imports and exports
    ("POST", "/surveys/imports"): SURVEYS,
    ("GET", "/surveys/{slug}/responses/export"): SURVEYS,
    # needs
    ("GET", "/needs"): ALL,
    ("POST", "/needs"): ALL,
    ("GET", "/needs/similar"): ALL,
    ("GET", "/needs/{need_id}"): ALL,
    ("GET", "/needs/{need_id}/history"): ALL,
    ("POST", "/needs/{need_id}/votes"): ALL,
    ("DELETE", "/needs/{need_id}/votes"): ALL,
    ("POST", "/needs/{need_id}/status"): NEEDS,
    ("POST", "/needs/{need_id}/merge"): NEEDS,
    ("GET", "/need-campaigns"): NEEDS,
    ("GET", "/need-campaigns/{campaign_id}"): NEEDS,
    ("POST", "/need-campaigns/{campaign_id}/arbitrations"): NEEDS,
    ("GET", "/need-campaigns/{campaign_id}/arbitrations/{number}"): NEEDS,
    ("POST", "/need-campaigns"): NEEDS,
    ("PUT", "/need-campaigns/{campaign_id}"): NEEDS,
    ("POST", "/need-campaigns/{campaign_id}/decision"): NEEDS,
    ("POST", "/need-campaigns/{campaign_id}/publish"): NEEDS,
    ("GET", "/jobs"): JOBS,
    ("GET", "/jobs/{job_id}"): JOBS,
}

#: Endpoints for a signed-in browser session only: an API token gets 403 whatever its role.
SESSION_ONLY = {("POST", "/tokens")}

SAMPLE_ARGS = {"{token_id}": "999", "{employee_id}": "E0005", "{slug}": "nothing-here",
               "{job_id}": "00000000-0000-0000-0000-000000000000", "{number}": "1",
               "{code}": "nps", "{position}": "1"}
SAMPLE_ARGS["{external_id}"] = "INC0000000"  # listening: tickets
SAMPLE_ARGS.update({"{need_id}": "999999", "{campaign_id}": "999999"})  # needs


def walk(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api":
                continue  # the API is checked endpoint by endpoint below
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback


def api_operations():
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, "/" + (prefix.strip("/") + "/" + path.strip("/")).strip("/"), \
                        operation


def test_every_view_declares_its_access_and_is_in_the_matrix():
    found = dict(walk(get_resolver()))
    undeclared = [name for name, view in found.items() if not hasattr(view, "phare_access")]
    assert undeclared == []
    assert set(found) == set(PAGES)
    for name, (_path, allowed) in PAGES.items():
        declared = found[name].phare_access
        if allowed == PUBLIC:
            assert declared == PUBLIC, name
        else:
            assert {str(r) for r in declared} == allowed | ({"executive"} & allowed), name


def test_every_endpoint_declares_its_roles_and_is_in_the_matrix():
    seen = {}
    for method, path, operation in api_operations():
        assert operation.auth_callbacks, f"{method} {path} has no auth"
        roles = {frozenset(str(r) for r in cb.roles) for cb in operation.auth_callbacks}
        assert len(roles) == 1, f"{method} {path} mixes role sets"
        seen[(method, path)] = set(roles.pop())
        refused = any(getattr(cb, "refusal", None) for cb in operation.auth_callbacks)
        assert refused == ((method, path) in SESSION_ONLY), f"{method} {path} token refusal"
    assert seen == ENDPOINTS


@pytest.mark.parametrize("name", sorted(n for n, (_p, a) in PAGES.items() if a != PUBLIC))
@pytest.mark.parametrize("persona", sorted(ALL))
def test_pages_answer_403_to_roles_not_allowed(client, personas, name, persona):
    path, allowed = PAGES[name]
    client.force_login(personas[persona])
    method = client.post if name in POSTED else client.get
    status = method(path).status_code
    if persona in allowed:
        assert status in (200, 302, 404), f"{persona} {name} {status}"
    else:
        assert status == 403, f"{persona} {name} {status}"


@pytest.mark.parametrize("name", sorted(n for n, (_p, a) in PAGES.items() if a != PUBLIC))
def test_pages_send_visitors_to_the_login_page(client, db, name):
    path, _allowed = PAGES[name]
    response = (client.post if name in POSTED else client.get)(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("key", sorted(ENDPOINTS), ids=lambda k: f"{k[0]} {k[1]}")
@pytest.mark.parametrize("persona", sorted(ALL))
def test_endpoints_answer_403_to_roles_not_allowed(client, personas, key, persona):
    from phare.accounts.services import token_create

    method, template = key
    path = "/api/v1" + template
    for placeholder, value in SAMPLE_ARGS.items():
        path = path.replace(placeholder, value)
    _token, raw = token_create(user=personas[persona], name="matrix")
    response = client.generic(method, path, HTTP_AUTHORIZATION=f"Bearer {raw}",
                              content_type="application/json", data="{}")
    if key in SESSION_ONLY:
        assert response.status_code == 403, f"{persona} {key} by token {response.status_code}"
        client.force_login(personas[persona])
        response = client.generic(method, path, content_type="application/json", data="{}")
    if persona in ENDPOINTS[key]:
        assert response.status_code not in (401, 403), f"{persona} {key} {response.status_code}"
    else:
        assert response.status_code == 403, f"{persona} {key} {response.status_code}"
        assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("key", sorted(ENDPOINTS), ids=lambda k: f"{k[0]} {k[1]}")
def test_endpoints_answer_401_without_credentials(client, db, key):
    method, template = key
    path = "/api/v1" + template
    for placeholder, value in SAMPLE_ARGS.items():
        path = path.replace(placeholder, value)
    response = client.generic(method, path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
