"""Every page and API endpoint declares who may use it, and the server enforces it on real
objects: an allowed role gets 200 (or the one redirect the entry states), any other role 403,
a visitor the sign-in page (pages) or 401 (API).

The expected matrix is written out here on purpose: adding a view or endpoint without adding
it below fails ``test_every_view_declares_its_access_and_is_in_the_matrix`` (or its API twin).
Paths are built with ``reverse()`` from the objects of :mod:`tests.role_matrix_objects`, made
once per module; no answer is accepted "because the object does not exist".

Some pages and endpoints let every role in and leave the rest to the object's policy (the
communication plan: a role changes only what ``comms.policy`` lets it change): their entry
names the roles let in but ``refused`` on the world's objects, which get 403 like the others.
One operation authenticates by itself (:data:`SELF_AUTHENTICATED`: a calendar app's feed,
whose personal secret travels in its address) and is checked on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.http import Http404, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from phare.accounts.policy import PUBLIC, allow
from phare.accounts.roles import ADMINS, EVERYONE
from phare.api import api
from tests.role_matrix_objects import World, world_held_open
from tests.tickets.factories import kept_upload, ticket_import_job

ALL = frozenset({"admin", "marketing", "owner", "executive", "employee"})
ADMIN = frozenset({"admin"})
READERS = frozenset({"admin", "marketing"})
JOBS = frozenset({"admin", "marketing"})
EDITORS = frozenset({"admin", "marketing", "owner"})
MANAGERS = frozenset({"admin", "marketing"})
SURVEYS = frozenset({"admin", "marketing"})
NEEDS = frozenset({"admin", "marketing"})
INSIGHTS = frozenset({"admin", "marketing", "executive"})
#: The communication plan (``comms.policy``): every role reaches it, managers change it,
#: readers see every plan; the world's email is owned by the owner persona.
COMMS_MANAGERS = frozenset({"admin", "marketing"})
COMMS_READERS = frozenset({"admin", "marketing", "executive"})
#: Who may not change the world's plan, nor the world's action, nor its event (no owner).
NOT_PLAN_EDITORS = ALL - COMMS_MANAGERS
NOT_ACTION_EDITORS = frozenset({"executive", "employee"})
NOT_EVENT_EDITORS = ALL - COMMS_MANAGERS
#: The positioning study: managers design it and write its outputs, readers read them; the
#: promise fragment of the catalogue's family view is for everyone signed in.
POSITIONING_MANAGERS = frozenset({"admin", "marketing"})
POSITIONING_READERS = frozenset({"admin", "marketing", "executive"})

#: ``args(world, persona)``: the URL arguments of an entry, from the world's real objects.
Args = Callable[[World, str], list[Any]]


def _none(_w: World, _who: str) -> list[Any]:
    return []


@dataclass(frozen=True)
class Page:
    """One page of the matrix: who may open it, how it is asked for, what it answers them.

    ``post`` (a dict) makes the request a POST with that body, for pages that only answer POST
    (it is chosen invalid, or aimed at an object whose service refuses the action, so nothing
    changes); otherwise the page is asked for with GET. ``status`` is what an allowed role gets;
    with 302, ``to`` names the one place it must send them. ``refused`` are roles the page
    lets in (``allowed`` is what it declares) that the object's policy refuses: 403.
    """

    allowed: frozenset[str] | str
    args: Args = _none
    query: str = ""
    post: dict[str, Any] | None = None
    status: int = 200
    to: Callable[[World, str], str] | None = None
    refused: frozenset[str] = frozenset()

    def answers(self, persona: str) -> bool:
        """Whether ``persona`` gets the entry's answer (not a 403)."""
        return self.allowed == PUBLIC or (persona in self.allowed
                                          and persona not in self.refused)


def to(name: str, args: Args = _none, suffix: str = "") -> Callable[[World, str], str]:
    """The redirect target of an entry: a named URL with the world's arguments."""
    return lambda w, who: reverse(name, args=args(w, who)) + suffix


def _slug(w: World, _who: str) -> list[Any]:
    return [w.service.slug]


def _survey(w: World, _who: str) -> list[Any]:
    return [w.survey.slug]


def _need(w: World, _who: str) -> list[Any]:
    return [w.need.pk]


def _campaign(w: World, _who: str) -> list[Any]:
    return [w.campaign.pk]


def _token(w: World, _who: str) -> list[Any]:
    return [w.invitation.token]


def _ticket_token(w: World, _who: str) -> list[Any]:
    return [w.ticket_invitation.token]


def _open(w: World, _who: str) -> list[Any]:
    return [w.survey.open_token]


def _plan(w: World, _who: str) -> list[Any]:
    return [w.plan.pk]


def _objective(w: World, _who: str) -> list[Any]:
    return [w.objective.pk]


def _action(w: World, _who: str) -> list[Any]:
    return [w.action.pk]


def _audience(w: World, _who: str) -> list[Any]:
    return [w.audience.pk]


def _quiet(w: World, _who: str) -> list[Any]:
    return [w.quiet_period.pk]


def _event(w: World, _who: str) -> list[Any]:
    return [w.event.pk]


def _webhook(w: World, _who: str) -> list[Any]:
    return [w.webhook.pk]


def _delivery(w: World, _who: str) -> list[Any]:
    return [w.delivery.token]


def _study(w: World, _who: str) -> list[Any]:
    return [w.study.slug]


def _persona(w: World, _who: str) -> list[Any]:
    return [w.study.slug, w.segment]


def _benchmark(w: World, _who: str) -> list[Any]:
    return [w.study.slug, w.benchmark.pk]


def _tool(w: World, _who: str) -> list[Any]:
    return [w.study.slug, w.tool.pk]


def _family(w: World, _who: str) -> list[Any]:
    assert w.study.family is not None, "the world's study has a domain"
    return [w.study.family.code]


def _to_link(w: World, _who: str) -> str:
    return w.link.url


#: url name → the page's entry. ``PUBLIC`` pages answer anyone, visitors included.
PAGES: dict[str, Page] = {
    "core:home": Page(ALL),
    "core:healthz": Page(PUBLIC),
    "core:readyz": Page(PUBLIC),
    "core:glossary": Page(ALL),
    # An unknown language changes nothing: back where the person was.
    "core:set_language": Page(PUBLIC, post={"language": "xx", "next": "/"}, status=302,
                              to=lambda w, who: "/"),
    "accounts:login": Page(PUBLIC),
    "accounts:logout": Page(PUBLIC, post={}, status=302, to=to("accounts:login")),
    # OpenID Connect is off here (no PHARE_OIDC_ISSUER): tests/signon/test_oidc.py has it on.
    "signon:oidc_login": Page(PUBLIC, status=404),
    "signon:oidc_callback": Page(PUBLIC, status=404),
    "signon:signed_out": Page(PUBLIC),
    # A token no sign-out kept: on to the signed-out page.
    "signon:leaving": Page(PUBLIC, lambda w, who: ["unknown-token"], status=302,
                           to=to("signon:signed_out")),
    # SAML is off here (no PHARE_SAML_IDP_METADATA): tests/signon/test_saml.py has it on.
    "signon:saml_login": Page(PUBLIC, status=404),
    "signon:saml_acs": Page(PUBLIC, post={}, status=404),
    "signon:saml_metadata": Page(PUBLIC, status=404),
    "signon:saml_sls": Page(PUBLIC, status=404),
    "accounts:tokens": Page(ALL),
    # POST-only without a body: it revokes the persona's spare token (rolled back).
    "accounts:token_revoke": Page(ALL, lambda w, who: [w.spare_tokens[who]], post={},
                                  status=302, to=to("accounts:tokens")),
    "accounts:password_change": Page(ALL),
    "accounts:users": Page(ADMIN),
    "audit:entries": Page(ADMIN, query="?action=export"),
    "audit:export": Page(ADMIN, query="?action=export"),
    "privacy:home": Page(ADMIN, query="?person=E0005"),
    "privacy:export": Page(ADMIN, query="?person=E0005"),
    "privacy:erase": Page(ADMIN, query="?person=E0005"),
    "accounts:user_new": Page(ADMIN),
    "accounts:user_edit": Page(ADMIN, lambda w, who: [w.users["employee"].pk]),
    # An empty password is refused: the account's page again, the reasons by the field.
    "accounts:user_password": Page(ADMIN, lambda w, who: [w.users["employee"].pk],
                                   post={"password": ""}, status=200),
    "directory:people": Page(READERS),
    "directory:units": Page(READERS),
    "directory:import": Page(ADMIN),
    "directory:person": Page(READERS, lambda w, who: [w.person.employee_id]),
    "directory:people_pick": Page(EDITORS),
    "catalog:home": Page(ALL),
    "catalog:search": Page(ALL, query="?q=vpn"),
    "catalog:service": Page(ALL, _slug),
    "catalog:manage": Page(EDITORS),
    "catalog:manage_new": Page(EDITORS),
    "catalog:import": Page(MANAGERS),
    "catalog:export": Page(MANAGERS, lambda w, who: ["xlsx"]),
    "catalog:manage_detail": Page(EDITORS, _slug),
    "catalog:manage_edit": Page(EDITORS, _slug),
    # The publication actions, each refused by the service (nothing to submit, already
    # published, no note, not published, no stage): back to the service's page.
    "catalog:manage_submit": Page(EDITORS, _slug, post={}, status=302,
                                  to=to("catalog:manage_detail", _slug)),
    "catalog:manage_publish": Page(MANAGERS, _slug, post={}, status=302,
                                   to=to("catalog:manage_detail", _slug)),
    "catalog:manage_send_back": Page(MANAGERS, _slug, post={"note": ""}, status=302,
                                     to=to("catalog:manage_detail", _slug)),
    "catalog:manage_unpublish": Page(MANAGERS, lambda w, who: [w.draft.slug], post={},
                                     status=302, to=to("catalog:manage_detail",
                                                       lambda w, who: [w.draft.slug])),
    # An invalid form is sent back on the service's page, with its error summary.
    "catalog:manage_lifecycle": Page(EDITORS, _slug, post={}),
    # listening: builder
    "listening:surveys": Page(SURVEYS),
    "listening:survey_new": Page(SURVEYS),
    "listening:survey": Page(SURVEYS, _survey),
    "listening:kind_results": Page(SURVEYS, _survey),
    # An empty settings form is shown again with its errors.
    "listening:survey_settings": Page(SURVEYS, _survey, post={}),
    # The builder's actions, refused (no status, titles too long, a section holding
    # questions, no direction): back to the builder.
    "listening:survey_status": Page(SURVEYS, _survey, post={}, status=302,
                                    to=to("listening:survey", _survey)),
    # A new section whose title is too long is shown again with its errors.
    "listening:section_new": Page(SURVEYS, _survey, post={"title_fr": "x" * 300}),
    "listening:section_edit": Page(SURVEYS, lambda w, who: [w.survey.slug, 1],
                                   post={"title_fr": "x" * 300}, status=302,
                                   to=to("listening:survey", _survey)),
    "listening:section_delete": Page(SURVEYS, lambda w, who: [w.survey.slug, 1], post={},
                                     status=302, to=to("listening:survey", _survey)),
    "listening:question_new": Page(SURVEYS, _survey),
    "listening:question_edit": Page(SURVEYS, lambda w, who: [w.survey.slug, "nps"]),
    "listening:question_delete": Page(SURVEYS, lambda w, who: [w.survey.slug, "nps"]),
    "listening:question_move": Page(SURVEYS, lambda w, who: [w.survey.slug, "nps"], post={},
                                    status=302, to=to("listening:survey", _survey)),
    "listening:version": Page(SURVEYS, lambda w, who: [w.survey.slug, 1]),
    "listening:survey_translation": Page(SURVEYS, lambda w, who: [w.survey.slug, "de"]),
    # listening: answering (public pages)
    "answer:respond": Page(PUBLIC, _token),
    "answer:thanks": Page(PUBLIC, lambda w, who: [w.answered.token]),
    # The JSON answers refuse a body that is not JSON (a form's): 400, nothing recorded.
    "answer:respond_json": Page(PUBLIC, _token, post={"answers": "none"}, status=400),
    "answer:open": Page(PUBLIC, _open),
    "answer:open_thanks": Page(PUBLIC, _open),
    "answer:open_json": Page(PUBLIC, _open, post={"answers": "none"}, status=400),
    # listening: waves, invitations, reminders, opt-out
    "listening:waves": Page(SURVEYS, _survey),
    "listening:wave_new": Page(SURVEYS, _survey),
    "listening:wave_preview": Page(SURVEYS, _survey),
    "listening:wave": Page(SURVEYS, lambda w, who: [w.survey.slug, w.wave.number]),
    # Refused for a wave whose closing day has passed: back to the wave.
    "listening:wave_launch": Page(SURVEYS, lambda w, who: [w.survey.slug, w.past_wave.number],
                                  post={}, status=302,
                                  to=to("listening:wave",
                                        lambda w, who: [w.survey.slug, w.past_wave.number])),
    "listening:wave_remind": Page(SURVEYS, lambda w, who: [w.survey.slug, w.past_wave.number],
                                  post={}, status=302,
                                  to=to("listening:wave",
                                        lambda w, who: [w.survey.slug, w.past_wave.number])),
    "answer:opt_out": Page(PUBLIC, _token),
    # tickets: ticket feedback
    "tickets:manage": Page(SURVEYS),
    "tickets:import": Page(SURVEYS),
    "tickets:import_mapping": Page(SURVEYS, lambda w, who: [kept_upload(w.job.created_by).pk]),
    "tickets:import_report": Page(SURVEYS, lambda w, who: [
        ticket_import_job(w.job.created_by).pk]),
    "tickets:unmapped": Page(SURVEYS),
    "tickets:rate": Page(PUBLIC, lambda w, who: [w.ticket_invitation.token, 9]),
    "tickets:followups": Page(PUBLIC, _ticket_token),
    "tickets:thanks": Page(PUBLIC, _ticket_token),
    # listening: imports and exports
    "listening:import": Page(SURVEYS),
    "listening:import_job": Page(SURVEYS, lambda w, who: [w.job.pk]),
    "listening:import_again": Page(SURVEYS, lambda w, who: [w.job.pk], post={"again": "as_copy"},
                                   status=302, to=to("listening:import_job",
                                                     lambda w, who: [w.job.pk])),
    "listening:export": Page(SURVEYS, _survey),
    "listening:export_file": Page(SURVEYS, lambda w, who: [w.survey.slug, "csv"]),
    # needs: a bookmarked action address shows the need (or the campaign) again.
    "needs:list": Page(ALL),
    "needs:new": Page(ALL),
    "needs:similar": Page(ALL, query="?title=imprimante"),
    "needs:detail": Page(ALL, _need),
    "needs:vote": Page(ALL, _need, status=302, to=to("needs:detail", _need)),
    "needs:follow": Page(ALL, _need, status=302, to=to("needs:detail", _need)),
    "needs:comment": Page(ALL, _need, status=302, to=to("needs:detail", _need)),
    "needs:decision": Page(ALL, lambda w, who: [w.published.pk]),
    "needs:status": Page(NEEDS, _need, status=302, to=to("needs:detail", _need)),
    "needs:merge": Page(NEEDS, _need, status=302, to=to("needs:detail", _need)),
    "needs:score": Page(NEEDS, _need),
    "needs:criteria": Page(NEEDS),
    "needs:export": Page(NEEDS),
    "needs:import": Page(NEEDS),
    "needs:campaigns": Page(NEEDS),
    "needs:campaign_new": Page(NEEDS),
    "needs:campaign": Page(NEEDS, _campaign),
    "needs:campaign_edit": Page(NEEDS, _campaign),
    "needs:campaign_rules": Page(NEEDS, _campaign, status=302, to=to("needs:campaign",
                                                                     _campaign)),
    "needs:campaign_run": Page(NEEDS, _campaign, status=302, to=to("needs:campaign", _campaign)),
    # Outside htmx, a run's address opens the campaign on that run.
    "needs:arbitration": Page(NEEDS, lambda w, who: [w.campaign.pk, 1], status=302,
                              to=to("needs:campaign", _campaign, "?run=1#result")),
    "needs:campaign_decide": Page(NEEDS, _campaign, status=302, to=to("needs:campaign",
                                                                      _campaign)),
    "needs:campaign_publish": Page(NEEDS, _campaign, status=302, to=to("needs:campaign",
                                                                       _campaign)),
    # insights: an owner reads the tickets and value card of their own services.
    "insights:home": Page(INSIGHTS | {"owner"}),
    "insights:barometer": Page(INSIGHTS, _survey),
    "insights:tickets": Page(INSIGHTS | {"owner"}),
    "insights:perception": Page(INSIGHTS | {"owner"}),
    "insights:ticket_summary": Page(INSIGHTS | {"owner"},
                                    lambda w, who: [w.ticket_invitation.survey.slug]),
    "insights:verbatims": Page(INSIGHTS),
    "insights:value_card": Page(INSIGHTS | {"owner"}, _slug),
    "insights:value_cards": Page(INSIGHTS | {"owner"}),
    # usage: an owner reads the usage of their own services; the lead imports and links.
    "usage:overview": Page(INSIGHTS | {"owner"}),
    "usage:service": Page(INSIGHTS | {"owner"}, _slug),
    # A deployment without its launch day is refused: the page again, with the errors.
    "usage:deployment": Page(MANAGERS, _slug, post={"launched_on": ""}, status=400),
    "usage:imports": Page(MANAGERS),
    "usage:import": Page(MANAGERS, lambda w, who: [w.usage_import.pk]),
    "usage:products": Page(MANAGERS),
    "jobs:list": Page(JOBS),
    "jobs:detail": Page(JOBS, lambda w, who: [w.job.pk]),
    # comms: every role reaches the plan's pages; the employee and the owner are named on the
    # world's plan, and only the marketing lead and administrators change plans (403 to the
    # others, from the plan's policy).
    "comms:home": Page(ALL),
    "comms:plan_new": Page(ALL, refused=NOT_PLAN_EDITORS),
    "comms:plan": Page(ALL, _plan),
    "comms:plan_edit": Page(ALL, _plan, refused=NOT_PLAN_EDITORS),
    "comms:objective_new": Page(ALL, _plan, refused=NOT_PLAN_EDITORS),
    "comms:objective_edit": Page(ALL, _objective, refused=NOT_PLAN_EDITORS),
    # Deletes the objective (rolled back); its actions stay in the plan.
    "comms:objective_delete": Page(ALL, _objective, post={}, status=302,
                                   to=to("comms:plan", _plan), refused=NOT_PLAN_EDITORS),
    "comms:action_new": Page(ALL, _plan, refused=NOT_PLAN_EDITORS),
    "comms:action": Page(ALL, _action),
    # The action's owner (the owner persona) and the managers change it; not the others.
    "comms:action_edit": Page(ALL, _action, refused=NOT_ACTION_EDITORS),
    # Outside htmx, the preview's address opens the action on its first language's tab.
    "comms:action_preview": Page(ALL, _action, status=302,
                                 to=to("comms:action", _action, "?language=fr#preview")),
    # Without a language the test email is refused: back to the action.
    "comms:action_test": Page(ALL, _action, post={}, status=302, to=to("comms:action", _action),
                              refused=NOT_ACTION_EDITORS),
    # Without a status, an idea not approved: back to the action; a comment empty or no file:
    # the action's page with the form's error summary.
    "comms:action_status": Page(ALL, _action, post={}, status=302,
                                to=to("comms:action", _action)),
    "comms:action_send": Page(ALL, _action, post={}, status=302, to=to("comms:action", _action)),
    "comms:action_comment": Page(ALL, _action, post={}),
    "comms:attachment_add": Page(ALL, _action, post={}),
    "comms:action_print": Page(ALL, _action),
    "comms:attachment": Page(ALL, lambda w, who: [w.attachment.pk]),
    # Removed by its editors (rolled back), refused to the others: back to the action either way.
    "comms:attachment_delete": Page(ALL, lambda w, who: [w.attachment.pk], post={}, status=302,
                                    to=to("comms:action", _action, "#attachments")),
    "comms:calendar": Page(ALL),
    # The feed's address is made by a POST: a GET goes back to the calendar.
    "comms:calendar_feed": Page(ALL, status=302, to=to("comms:calendar")),
    "comms:audiences": Page(COMMS_MANAGERS),
    "comms:audience_new": Page(COMMS_MANAGERS),
    # No criteria: the live size says what is missing.
    "comms:audience_size": Page(COMMS_MANAGERS, post={}),
    "comms:audience_edit": Page(COMMS_MANAGERS, _audience),
    # The world's actions use the audience: refused, back to the list.
    "comms:audience_delete": Page(COMMS_MANAGERS, _audience, post={}, status=302,
                                  to=to("comms:audiences")),
    "comms:preferences": Page(ALL),
    "comms:news": Page(ALL),
    "comms:quiet_periods": Page(COMMS_MANAGERS),
    "comms:quiet_period_new": Page(COMMS_MANAGERS),
    "comms:quiet_period_edit": Page(COMMS_MANAGERS, _quiet),
    # Deletes the quiet period (rolled back).
    "comms:quiet_period_delete": Page(COMMS_MANAGERS, _quiet, post={}, status=302,
                                      to=to("comms:quiet_periods")),
    # The world's channel: its test post fails (nobody answers at its address), its deletion
    # is rolled back; both come back to the list.
    "comms:webhooks": Page(COMMS_MANAGERS),
    "comms:webhook_new": Page(COMMS_MANAGERS),
    "comms:webhook_edit": Page(COMMS_MANAGERS, _webhook),
    "comms:webhook_test": Page(COMMS_MANAGERS, _webhook, post={}, status=302,
                               to=to("comms:webhooks")),
    "comms:webhook_delete": Page(COMMS_MANAGERS, _webhook, post={}, status=302,
                                 to=to("comms:webhooks")),
    # The event's registrations: its organisers only (it has no owner: the managers).
    "comms:registrations": Page(ALL, _event, refused=NOT_EVENT_EDITORS),
    "comms:registrations_csv": Page(ALL, _event, refused=NOT_EVENT_EDITORS),
    # comms: the links of a campaign email (the event invitation's reached delivery). A click
    # goes on to the link's address; asking to unsubscribe or to register records nothing.
    "comms_public:click": Page(PUBLIC, lambda w, who: [w.delivery.token, w.link.pk],
                               status=302, to=_to_link),
    "comms_public:link": Page(PUBLIC, lambda w, who: [w.link.pk], status=302, to=_to_link),
    "comms_public:unsubscribe": Page(PUBLIC, _delivery),
    "comms_public:register": Page(PUBLIC, _delivery),
    # The pixel answers its image whether open pixels are counted or not.
    "comms_public:open": Page(PUBLIC, _delivery),
    # positioning: the design. Each change is refused (an invalid form, or the questionnaire
    # has answers) and comes back to the study's page; closing the study acts (rolled back).
    "positioning:home": Page(POSITIONING_READERS),
    "positioning:study_new": Page(POSITIONING_MANAGERS),
    "positioning:study": Page(POSITIONING_READERS, _study),
    # The design's forms, invalid, come back on the design page with their error summary.
    "positioning:study_settings": Page(POSITIONING_MANAGERS, _study, post={}),
    "positioning:study_row": Page(POSITIONING_MANAGERS, lambda w, who: [w.study.slug,
                                                                        "alternatives"],
                                  post={}),
    "positioning:study_profile": Page(POSITIONING_MANAGERS, _study,
                                      post={"profile_questions": "nope"}),
    "positioning:study_tools": Page(POSITIONING_MANAGERS, _study, post={"names": "x" * 3001}),
    "positioning:study_population": Page(POSITIONING_MANAGERS, _study, post={"sample": "0"}),
    "positioning:study_generate": Page(POSITIONING_MANAGERS, _study, post={}, status=302,
                                       to=to("positioning:study", _study)),
    "positioning:study_close": Page(POSITIONING_MANAGERS, _study, post={}, status=302,
                                    to=to("positioning:study", _study)),
    # positioning: fieldwork (the wave, the imported survey and its mapping: invalid forms).
    "positioning:fieldwork": Page(POSITIONING_MANAGERS, _study),
    "positioning:fieldwork_start": Page(POSITIONING_MANAGERS, _study, post={}),
    "positioning:import_attach": Page(POSITIONING_MANAGERS, _study, post={}, status=302,
                                      to=to("positioning:fieldwork", _study)),
    "positioning:mapping": Page(POSITIONING_MANAGERS, _study, post={}),
    # positioning: results, on the released answers of the world's study.
    "positioning:map": Page(POSITIONING_READERS, _study),
    "positioning:map_csv": Page(POSITIONING_READERS, _study),
    "positioning:gaps": Page(POSITIONING_READERS, _study),
    "positioning:gaps_csv": Page(POSITIONING_READERS, _study),
    "positioning:shadow": Page(POSITIONING_READERS, _study),
    "positioning:shadow_csv": Page(POSITIONING_READERS, _study),
    "positioning:segments": Page(POSITIONING_READERS, _study),
    # positioning: outputs. The persona's audience without its share, the published version
    # published again, a need for a tool the catalogue has an equivalent of, an action without
    # its plan: each refused, back to its page. The benchmark's deletion acts (rolled back).
    "positioning:personas": Page(POSITIONING_READERS, _study),
    "positioning:persona": Page(POSITIONING_MANAGERS, _persona),
    "positioning:persona_print": Page(POSITIONING_READERS, _persona),
    "positioning:persona_audience": Page(POSITIONING_MANAGERS, _persona, post={}, status=302,
                                         to=to("positioning:personas", _study)),
    "positioning:statements": Page(POSITIONING_READERS, _study),
    "positioning:statement_edit": Page(POSITIONING_MANAGERS, _study),
    "positioning:statement_publish": Page(
        POSITIONING_MANAGERS, lambda w, who: [w.study.slug, w.statement.version], post={},
        status=302, to=to("positioning:statements", _study)),
    "positioning:benchmarks": Page(POSITIONING_READERS, _study),
    "positioning:benchmark_edit": Page(POSITIONING_MANAGERS, _benchmark),
    "positioning:benchmark_delete": Page(POSITIONING_MANAGERS, _benchmark, post={},
                                         status=302, to=to("positioning:benchmarks", _study)),
    "positioning:tools": Page(POSITIONING_MANAGERS, _study),
    "positioning:tool_new": Page(POSITIONING_MANAGERS, _study),
    "positioning:tool": Page(POSITIONING_MANAGERS, _tool),
    "positioning:tool_need": Page(POSITIONING_MANAGERS, _tool, post={}, status=302,
                                  to=to("positioning:tool", _tool)),
    "positioning:tool_action": Page(POSITIONING_MANAGERS, _tool, post={}, status=302,
                                    to=to("positioning:tool", _tool)),
    # The catalogue family's promise: the world's published statement.
    "positioning:promise": Page(ALL, _family),
    # reports: readers read and download, managers generate and schedule. Empty forms are
    # refused (422, the page with its errors); the schedule's deletion is rolled back.
    "reports:home": Page(INSIGHTS),
    "reports:new": Page(MANAGERS, post={}, status=422),
    "reports:row": Page(INSIGHTS, lambda w, who: [w.report.pk]),
    "reports:download": Page(INSIGHTS, lambda w, who: [w.report.pk, "pdf"]),
    "reports:schedule_new": Page(MANAGERS, post={}, status=422),
    "reports:schedule_edit": Page(MANAGERS, lambda w, who: [w.schedule.pk]),
    "reports:schedule_delete": Page(MANAGERS, lambda w, who: [w.schedule.pk], post={},
                                    status=302, to=to("reports:home")),
}


@dataclass(frozen=True)
class Endpoint:
    """One API operation: who may call it, and what an allowed caller gets.

    Unsafe operations with a body are sent a body that is not JSON (400, before anything is
    read or written); those without one are aimed at an object the service refuses
    (``status`` says which answer), except where the entry says it acts (rolled back).
    """

    allowed: frozenset[str]
    status: int = 200
    session_only: bool = False
    body: str = "{"
    #: placeholder → value(world, persona), over :data:`PLACES`.
    places: dict[str, Callable[[World, str], Any]] = field(default_factory=dict)
    #: Roles the operation lets in that the object's policy refuses (403).
    refused: frozenset[str] = frozenset()


#: What the path templates' placeholders stand for, unless an entry says otherwise.
PLACES: dict[str, Callable[[World, str], Any]] = {
    "token_id": lambda w, who: w.spare_tokens[who],
    "employee_id": lambda w, who: w.person.employee_id,
    "slug": lambda w, who: w.service.slug,
    "job_id": lambda w, who: w.job.pk,
    "external_id": lambda w, who: w.ticket.external_id,
    "need_id": lambda w, who: w.need.pk,
    "campaign_id": lambda w, who: w.campaign.pk,
    "number": lambda w, who: 1,
    "code": lambda w, who: "nps",
    "position": lambda w, who: 1,
    "plan_id": lambda w, who: w.plan.pk,
    "action_id": lambda w, who: w.action.pk,
    "audience_id": lambda w, who: w.audience.pk,
    "webhook_id": lambda w, who: w.webhook.pk,
}
_EVENT = {"action_id": lambda w, who: w.event.pk}
_SURVEY = {"slug": lambda w, who: w.survey.slug}
_PAST_WAVE = {**_SURVEY, "number": lambda w, who: w.past_wave.number}
_PUBLISHED = {"campaign_id": lambda w, who: w.published.pk}
_NO_VOTE = {"need_id": lambda w, who: w.other_need.pk}
_STUDY = {"slug": lambda w, who: w.study.slug}
_SEGMENT = {**_STUDY, "segment": lambda w, who: w.segment}
_PUBLISHED_STATEMENT = {**_STUDY, "version": lambda w, who: w.statement.version}

#: (method, path template) → the endpoint's entry.
ENDPOINTS: dict[tuple[str, str], Endpoint] = {
    ("GET", "/me"): Endpoint(ALL),
    ("GET", "/tokens"): Endpoint(ALL),
    # For a signed-in browser session only: an API token gets 403 whatever its role.
    ("POST", "/tokens"): Endpoint(ALL, 400, session_only=True),
    # Revokes the persona's spare token (rolled back).
    ("DELETE", "/tokens/{token_id}"): Endpoint(ALL),
    ("GET", "/people"): Endpoint(READERS),
    ("GET", "/people/{employee_id}"): Endpoint(READERS),
    ("GET", "/business-units"): Endpoint(READERS),
    ("GET", "/sites"): Endpoint(READERS),
    ("GET", "/job-families"): Endpoint(READERS),
    # Multipart: without its file the request is not valid.
    ("POST", "/directory/imports"): Endpoint(ADMIN, 422),
    ("GET", "/services"): Endpoint(ALL),
    ("GET", "/services/{slug}"): Endpoint(ALL),
    ("POST", "/services"): Endpoint(EDITORS, 400),
    ("PATCH", "/services/{slug}"): Endpoint(EDITORS, 400),
    # Published without changes: nothing to submit.
    ("POST", "/services/{slug}/submit"): Endpoint(EDITORS, 422),
    ("POST", "/services/{slug}/publish"): Endpoint(MANAGERS, 400),
    ("POST", "/services/{slug}/send-back"): Endpoint(MANAGERS, 400),
    ("POST", "/services/{slug}/unpublish"): Endpoint(MANAGERS, 400),
    ("POST", "/services/{slug}/lifecycle"): Endpoint(EDITORS, 400),
    # listening: surveys
    ("GET", "/surveys"): Endpoint(SURVEYS),
    ("POST", "/surveys"): Endpoint(SURVEYS, 400),
    ("GET", "/surveys/{slug}"): Endpoint(SURVEYS, places=_SURVEY),
    # insights: the pages' headline figures (an owner: the tickets of their services).
    ("GET", "/insights/tickets"): Endpoint(INSIGHTS | {"owner"}),
    ("GET", "/insights/barometers/{slug}"): Endpoint(INSIGHTS, places=_SURVEY),
    ("PATCH", "/surveys/{slug}"): Endpoint(SURVEYS, 400, places=_SURVEY),
    ("POST", "/surveys/{slug}/sections"): Endpoint(SURVEYS, 400, places=_SURVEY),
    ("PATCH", "/surveys/{slug}/sections/{position}"): Endpoint(SURVEYS, 400, places=_SURVEY),
    # Section 1 holds questions; ``why_low`` depends on ``nps``: both refused.
    ("DELETE", "/surveys/{slug}/sections/{position}"): Endpoint(SURVEYS, 422, places=_SURVEY),
    ("POST", "/surveys/{slug}/questions"): Endpoint(SURVEYS, 400, places=_SURVEY),
    ("PATCH", "/surveys/{slug}/questions/{code}"): Endpoint(SURVEYS, 400, places=_SURVEY),
    ("DELETE", "/surveys/{slug}/questions/{code}"): Endpoint(SURVEYS, 422, places=_SURVEY),
    ("POST", "/surveys/{slug}/questions/{code}/move"): Endpoint(SURVEYS, 400, places=_SURVEY),
    ("GET", "/surveys/{slug}/versions/{number}"): Endpoint(SURVEYS, places=_SURVEY),
    # listening: waves (launching or reminding a wave whose closing day has passed: 409)
    ("GET", "/surveys/{slug}/waves"): Endpoint(SURVEYS, places=_SURVEY),
    ("POST", "/surveys/{slug}/waves"): Endpoint(SURVEYS, 400, places=_SURVEY),
    ("GET", "/surveys/{slug}/waves/{number}"): Endpoint(SURVEYS, places=_SURVEY),
    ("POST", "/surveys/{slug}/waves/{number}/launch"): Endpoint(SURVEYS, 409,
                                                                places=_PAST_WAVE),
    ("POST", "/surveys/{slug}/waves/{number}/remind"): Endpoint(SURVEYS, 409,
                                                                places=_PAST_WAVE),
    # tickets: the intake reads its body itself (not JSON: 422)
    ("POST", "/tickets"): Endpoint(SURVEYS, 422),
    ("POST", "/tickets/imports"): Endpoint(SURVEYS, 422),
    ("GET", "/tickets"): Endpoint(SURVEYS),
    ("GET", "/tickets/{external_id}"): Endpoint(SURVEYS),
    # usage: adoption needs its service (none given: 422); events read their body (not JSON: 422)
    ("GET", "/usage/adoption"): Endpoint(INSIGHTS | {"owner"}, 422),
    ("POST", "/usage/events"): Endpoint(MANAGERS, 422),
    ("POST", "/usage/imports"): Endpoint(MANAGERS, 422),
    # listening: imports and exports
    ("POST", "/surveys/imports"): Endpoint(SURVEYS, 422),
    ("GET", "/surveys/{slug}/responses/export"): Endpoint(SURVEYS, places=_SURVEY),
    # needs: every persona already votes for the need (409); nobody for the other (200,
    # nothing to withdraw); the published campaign cannot be run again, the open one has no
    # decision to publish (409).
    ("GET", "/needs"): Endpoint(ALL),
    ("POST", "/needs"): Endpoint(ALL, 400),
    ("GET", "/needs/similar"): Endpoint(ALL),
    ("GET", "/needs/{need_id}"): Endpoint(ALL),
    ("GET", "/needs/{need_id}/history"): Endpoint(ALL),
    ("POST", "/needs/{need_id}/votes"): Endpoint(ALL, 409),
    ("DELETE", "/needs/{need_id}/votes"): Endpoint(ALL, places=_NO_VOTE),
    ("POST", "/needs/{need_id}/status"): Endpoint(NEEDS, 400),
    ("POST", "/needs/{need_id}/merge"): Endpoint(NEEDS, 400),
    ("GET", "/need-campaigns"): Endpoint(NEEDS),
    ("GET", "/need-campaigns/{campaign_id}"): Endpoint(NEEDS),
    ("POST", "/need-campaigns/{campaign_id}/arbitrations"): Endpoint(NEEDS, 409,
                                                                     places=_PUBLISHED),
    ("GET", "/need-campaigns/{campaign_id}/arbitrations/{number}"): Endpoint(NEEDS),
    ("POST", "/need-campaigns"): Endpoint(NEEDS, 400),
    ("PUT", "/need-campaigns/{campaign_id}"): Endpoint(NEEDS, 400),
    ("POST", "/need-campaigns/{campaign_id}/decision"): Endpoint(NEEDS, 400),
    ("POST", "/need-campaigns/{campaign_id}/publish"): Endpoint(NEEDS, 409),
    ("GET", "/jobs"): Endpoint(JOBS),
    ("GET", "/jobs/{job_id}"): Endpoint(JOBS),
    # comms: every role reaches the plans and actions it is named on (the owner and the
    # employee are the world's plan's contributors); the plan is kept once an action was sent
    # (409). The world's email is an idea owned by the owner persona: neither sent nor
    # published (409) by its editors, and not the executive's or the employee's to send (403).
    ("GET", "/comms/plans"): Endpoint(ALL),
    ("POST", "/comms/plans"): Endpoint(COMMS_MANAGERS, 400),
    ("GET", "/comms/plans/{plan_id}"): Endpoint(ALL),
    ("PATCH", "/comms/plans/{plan_id}"): Endpoint(COMMS_MANAGERS, 400),
    ("DELETE", "/comms/plans/{plan_id}"): Endpoint(COMMS_MANAGERS, 409),
    ("GET", "/comms/plans/{plan_id}/objectives"): Endpoint(ALL),
    ("POST", "/comms/plans/{plan_id}/objectives"): Endpoint(COMMS_MANAGERS, 400),
    ("GET", "/comms/actions"): Endpoint(ALL),
    ("POST", "/comms/actions"): Endpoint(COMMS_MANAGERS, 400),
    ("GET", "/comms/actions/{action_id}"): Endpoint(ALL),
    ("PATCH", "/comms/actions/{action_id}"): Endpoint(ALL, 400),
    ("POST", "/comms/actions/{action_id}/transition"): Endpoint(ALL, 400),
    ("POST", "/comms/actions/{action_id}/send"): Endpoint(ALL, 409, refused=NOT_ACTION_EDITORS),
    ("POST", "/comms/actions/{action_id}/publish"): Endpoint(ALL, 409,
                                                             refused=NOT_ACTION_EDITORS),
    ("GET", "/comms/actions/{action_id}/results"): Endpoint(ALL),
    ("GET", "/comms/audiences"): Endpoint(COMMS_READERS),
    ("POST", "/comms/audiences"): Endpoint(COMMS_MANAGERS, 400),
    ("POST", "/comms/audiences/size"): Endpoint(COMMS_MANAGERS, 400),
    ("GET", "/comms/audiences/{audience_id}"): Endpoint(COMMS_READERS),
    # The world's channel, which no action uses: its deletion acts (rolled back).
    ("GET", "/comms/webhooks"): Endpoint(COMMS_MANAGERS),
    ("POST", "/comms/webhooks"): Endpoint(COMMS_MANAGERS, 400),
    ("PATCH", "/comms/webhooks/{webhook_id}"): Endpoint(COMMS_MANAGERS, 400),
    ("DELETE", "/comms/webhooks/{webhook_id}"): Endpoint(COMMS_MANAGERS, 204),
    # The event's registrations, for its organisers (the managers); the employee persona's
    # attendance is sent a body that is not JSON (400, whoever asks).
    ("GET", "/comms/actions/{action_id}/registrations"): Endpoint(
        ALL, places=_EVENT, refused=NOT_EVENT_EDITORS),
    ("PUT", "/comms/actions/{action_id}/registrations/{employee_id}/attendance"): Endpoint(
        ALL, 400, places=_EVENT),
    # positioning: on the world's study; the published statement cannot be published again.
    ("GET", "/positioning/studies"): Endpoint(POSITIONING_READERS),
    ("POST", "/positioning/studies"): Endpoint(POSITIONING_MANAGERS, 400),
    ("GET", "/reports"): Endpoint(INSIGHTS),
    ("POST", "/reports"): Endpoint(MANAGERS, 400),
    ("GET", "/reports/{report_id}/{fmt}"): Endpoint(INSIGHTS, places={
        "report_id": lambda w, who: w.report.pk, "fmt": lambda w, who: "pdf"}),
    # privacy: administrators only; the erasure is sent a body that is not JSON (400).
    ("GET", "/privacy/people/{employee_id}/holdings"): Endpoint(ADMIN),
    ("GET", "/privacy/people/{employee_id}/export"): Endpoint(ADMIN),
    ("POST", "/privacy/people/{employee_id}/erasure"): Endpoint(ADMIN, 400),
    ("GET", "/privacy/retention"): Endpoint(ADMIN),
    ("GET", "/positioning/studies/{slug}"): Endpoint(POSITIONING_READERS, places=_STUDY),
    ("PATCH", "/positioning/studies/{slug}"): Endpoint(POSITIONING_MANAGERS, 400,
                                                       places=_STUDY),
    ("GET", "/positioning/studies/{slug}/questionnaire"): Endpoint(POSITIONING_READERS,
                                                                   places=_STUDY),
    ("GET", "/positioning/studies/{slug}/map"): Endpoint(POSITIONING_READERS, places=_STUDY),
    ("GET", "/positioning/studies/{slug}/gaps"): Endpoint(POSITIONING_READERS, places=_STUDY),
    ("GET", "/positioning/studies/{slug}/shadow-it"): Endpoint(POSITIONING_READERS,
                                                               places=_STUDY),
    ("GET", "/positioning/studies/{slug}/segments"): Endpoint(POSITIONING_READERS,
                                                              places=_STUDY),
    ("GET", "/positioning/studies/{slug}/personas"): Endpoint(POSITIONING_READERS,
                                                              places=_STUDY),
    ("PUT", "/positioning/studies/{slug}/personas/{segment}"): Endpoint(
        POSITIONING_MANAGERS, 400, places=_SEGMENT),
    ("GET", "/positioning/studies/{slug}/statements"): Endpoint(POSITIONING_READERS,
                                                                places=_STUDY),
    ("POST", "/positioning/studies/{slug}/statements"): Endpoint(POSITIONING_MANAGERS, 400,
                                                                 places=_STUDY),
    ("POST", "/positioning/studies/{slug}/statements/{version}/publish"): Endpoint(
        POSITIONING_MANAGERS, 409, places=_PUBLISHED_STATEMENT),
    ("GET", "/positioning/studies/{slug}/benchmarks"): Endpoint(POSITIONING_READERS,
                                                                places=_STUDY),
    ("POST", "/positioning/studies/{slug}/benchmarks"): Endpoint(POSITIONING_MANAGERS, 400,
                                                                 places=_STUDY),
}

#: Operations without a token or a session, on purpose: they authenticate the caller by a
#: personal secret in their address (calendar apps subscribe to an address and cannot send a
#: header). Each is checked by a test of its own below.
SELF_AUTHENTICATED: frozenset[tuple[str, str]] = frozenset({("GET", "/comms/calendar.ics")})

PERSONAS = sorted(ALL)
SIGNED_IN_PAGES = sorted(name for name, page in PAGES.items() if page.allowed != PUBLIC)
PUBLIC_PAGES = sorted(name for name, page in PAGES.items() if page.allowed == PUBLIC)
#: (persona, page asked for with GET) for each persona the page refuses.
REFUSED_GET_PAGES = [(persona, name) for name in SIGNED_IN_PAGES for persona in PERSONAS
                     if PAGES[name].post is None and not PAGES[name].answers(persona)]


# --- the objects, built once per module -------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    yield from world_held_open(django_db_blocker, tmp_path_factory.mktemp("analytics"))


@pytest.fixture
def w(world: World, db) -> World:
    """The world, inside this test's own savepoint: what a request changes is rolled back."""
    return world


# --- the checks, one function each, shared by the matrix and the proof that it fails ----------

def page_path(w: World, name: str, page: Page, persona: str) -> str:
    return reverse(name, args=page.args(w, persona)) + page.query


def ask(client: Client, page: Page, path: str) -> HttpResponse:
    if page.post is not None:
        return client.post(path, page.post)
    return client.get(path)


def check_page(w: World, client: Client, name: str, page: Page, persona: str) -> None:
    """``persona`` gets what the entry promises: its answer if allowed, 403 otherwise."""
    path = page_path(w, name, page, persona)
    response = ask(client, page, path)
    where = f"{persona} {name} {path}"
    if page.answers(persona):
        assert response.status_code == page.status, f"{where}: {response.status_code}"
        if page.to is not None:
            assert response["Location"] == page.to(w, persona), where
    else:
        assert response.status_code == 403, f"{where}: {response.status_code}"


def check_visitor(w: World, client: Client, name: str, page: Page) -> None:
    """A visitor is sent to sign in, and back to the page afterwards."""
    path = page_path(w, name, page, "employee")
    response = ask(client, page, path)
    assert response.status_code == 302, f"{name} {path}: {response.status_code}"
    assert response["Location"] == f"{reverse('accounts:login')}?next={quote(path)}", name


def endpoint_path(w: World, template: str, endpoint: Endpoint, persona: str) -> str:
    places = {**PLACES, **endpoint.places}
    path = "/api/v1" + template
    for name, value in places.items():
        path = path.replace("{" + name + "}", str(value(w, persona)))
    assert "{" not in path, path
    return path


def call(client: Client, method: str, path: str, body: str, **headers: str) -> HttpResponse:
    if method == "GET":
        return client.get(path, headers=headers)
    return client.generic(method, path, body, content_type="application/json", headers=headers)


def check_endpoint(w: World, key: tuple[str, str], endpoint: Endpoint, persona: str) -> None:
    """By token (or by session for a session-only endpoint): the entry's answer if allowed,
    403 in the API's error shape otherwise."""
    method, template = key
    path = endpoint_path(w, template, endpoint, persona)
    bearer = {"authorization": f"Bearer {w.tokens[persona]}"}
    response = call(Client(), method, path, endpoint.body, **bearer)
    where = f"{persona} {method} {path}"
    if endpoint.session_only:
        assert response.status_code == 403, f"{where} by token: {response.status_code}"
        assert response.json()["error"]["code"] == "forbidden", where
        response = call(w.clients[persona], method, path, endpoint.body)
    if persona in endpoint.allowed and persona not in endpoint.refused:
        assert response.status_code == endpoint.status, (
            f"{where}: {response.status_code} {response.content[:300]!r}")
        if endpoint.status >= 400:
            assert response.json()["error"]["status"] == endpoint.status, where
    else:
        assert response.status_code == 403, f"{where}: {response.status_code}"
        assert response.json()["error"]["code"] == "forbidden", where


# --- every view and endpoint is in the matrix, with the roles it declares ---------------------

def walk(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api":
                continue  # the API is checked endpoint by endpoint below
            if entry.namespace == "scim":
                continue  # bearer tokens of administrators only: tests/signon/test_scim*.py
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback


def api_operations():
    for prefix, router in api._routers:
        for path_, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, "/" + (prefix.strip("/") + "/" + path_.strip("/")).strip("/"), \
                        operation


def test_every_view_declares_its_access_and_is_in_the_matrix():
    found = dict(walk(get_resolver()))
    undeclared = [name for name, view in found.items() if not hasattr(view, "phare_access")]
    assert undeclared == []
    assert set(found) == set(PAGES)
    for name, page in PAGES.items():
        assert not page.refused or (page.allowed != PUBLIC and page.refused <= page.allowed), name
        declared = found[name].phare_access
        if page.allowed == PUBLIC:
            assert declared == PUBLIC, name
        else:
            assert {str(r) for r in declared} == page.allowed, name


def test_every_endpoint_declares_its_roles_and_is_in_the_matrix():
    seen, session_only, self_authenticated = {}, set(), set()
    for method, path_, operation in api_operations():
        if (method, path_) in SELF_AUTHENTICATED:
            assert not operation.auth_callbacks, f"{method} {path_} takes a token after all"
            self_authenticated.add((method, path_))
            continue
        assert operation.auth_callbacks, f"{method} {path_} has no auth"
        roles = {frozenset(str(r) for r in cb.roles) for cb in operation.auth_callbacks}
        assert len(roles) == 1, f"{method} {path_} mixes role sets"
        seen[(method, path_)] = roles.pop()
        if any(getattr(cb, "refusal", None) for cb in operation.auth_callbacks):
            session_only.add((method, path_))
    assert self_authenticated == SELF_AUTHENTICATED
    assert set(seen) == set(ENDPOINTS)
    assert all(entry.refused <= entry.allowed for entry in ENDPOINTS.values())
    assert {key: entry.allowed for key, entry in ENDPOINTS.items()} == seen
    assert session_only == {key for key, entry in ENDPOINTS.items() if entry.session_only}


# --- pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_answer_allowed_roles_and_refuse_the_others(w, name, persona):
    check_page(w, w.clients[persona], name, PAGES[name], persona)


@pytest.mark.parametrize(("persona", "name"), REFUSED_GET_PAGES,
                         ids=[f"{persona}-{name}" for persona, name in REFUSED_GET_PAGES])
def test_pages_refuse_posts_from_roles_not_allowed(w, persona, name):
    # Pages asked for with GET above take a POST too (their forms): refused just the same.
    page = PAGES[name]
    response = w.clients[persona].post(page_path(w, name, page, persona), {})
    assert response.status_code == 403, f"{persona} {name}: {response.status_code}"


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_pages_send_visitors_to_the_login_page(w, name):
    check_visitor(w, Client(), name, PAGES[name])


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_answer_visitors(w, name):
    check_page(w, Client(), name, PAGES[name], "visitor")


# --- API --------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(ENDPOINTS), ids=lambda k: f"{k[0]} {k[1]}")
@pytest.mark.parametrize("persona", PERSONAS)
def test_endpoints_answer_allowed_roles_and_refuse_the_others(w, key, persona):
    check_endpoint(w, key, ENDPOINTS[key], persona)


@pytest.mark.parametrize("key", sorted(ENDPOINTS), ids=lambda k: f"{k[0]} {k[1]}")
def test_endpoints_answer_401_without_credentials(w, key):
    method, template = key
    path = endpoint_path(w, template, ENDPOINTS[key], "employee")
    response = call(Client(), method, path, "{}")
    assert response.status_code == 401, f"{method} {path}: {response.status_code}"
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_calendar_feed_refuses_a_caller_without_its_secret(w):
    # Neither nothing, nor a wrong secret, nor an API token or a session stands for the feed's
    # secret: 401 in the API's error shape.
    path = "/api/v1/comms/calendar.ics"
    for client, query, headers in [
            (Client(), "", {}), (Client(), "?token=not-a-secret", {}),
            (Client(), "", {"authorization": f"Bearer {w.tokens['admin']}"}),
            (w.clients["admin"], "", {}),
            (Client(), f"?token={w.tokens['admin']}", {})]:
        response = client.get(path + query, headers=headers)
        assert response.status_code == 401, (query, headers, response.status_code)
        assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_calendar_feed_answers_each_persona_by_their_own_secret(w, persona):
    response = Client().get("/api/v1/comms/calendar.ics", {"token": w.feeds[persona]})
    assert response.status_code == 200, f"{persona}: {response.status_code}"
    assert response["Content-Type"].startswith("text/calendar")
    # Everyone is named on the world's plan: each feed holds its two actions.
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 2, persona
    assert "Atelier VPN" in body and "Le VPN change" in body, persona


# --- the matrix fails when a page's access and its entry disagree -----------------------------

@allow(ADMINS)
def _admins_only(request):
    return HttpResponse("secret")


@allow(EVERYONE)
def _everyone(request):
    return HttpResponse("open")


@allow(ADMINS)
def _missing(request):
    raise Http404


def _forgotten(request):
    return HttpResponse("nobody said who may see this")


#: The URLconf of the proofs below (``pytest.mark.urls``): fake pages.
urlpatterns = [path("fake/admins/", _admins_only, name="admins_only"),
               path("fake/everyone/", _everyone, name="everyone"),
               path("fake/missing/", _missing, name="missing"),
               path("fake/forgotten/", _forgotten, name="forgotten")]


@pytest.mark.urls(__name__)
def test_a_wrong_entry_is_detected(w):
    # The entries the checks are right about pass...
    check_page(w, w.clients["employee"], "admins_only", Page(ADMIN), "employee")
    check_page(w, w.clients["employee"], "everyone", Page(ALL), "employee")
    # ...and each wrong one fails: a page for admins said open to employees, a page open to
    # everyone said for admins only.
    with pytest.raises(AssertionError, match="employee admins_only .*: 403"):
        check_page(w, w.clients["employee"], "admins_only", Page(ADMIN | {"employee"}),
                   "employee")
    with pytest.raises(AssertionError, match="employee everyone .*: 200"):
        check_page(w, w.clients["employee"], "everyone", Page(ADMIN), "employee")


@pytest.mark.urls(__name__)
def test_a_404_a_missing_redirect_or_an_undeclared_page_is_detected(w):
    with pytest.raises(AssertionError, match="admin missing .*: 404"):
        check_page(w, w.clients["admin"], "missing", Page(ADMIN), "admin")
    with pytest.raises(AssertionError, match="admin admins_only .*: 200"):
        check_page(w, w.clients["admin"], "admins_only",
                   Page(ADMIN, status=302, to=to("everyone")), "admin")
    # A page without ``allow``: not declared, and it lets visitors in.
    assert [name for name, view in walk(get_resolver(__name__))
            if not hasattr(view, "phare_access")] == ["forgotten"]
    with pytest.raises(AssertionError, match="forgotten .*: 200"):
        check_visitor(w, Client(), "forgotten", Page(ADMIN))
