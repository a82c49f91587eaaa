"""Waves pages as the marketing lead uses them, and the opt-out page as an employee does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phare.contact import services as contact
from phare.contact.models import Category, QuietPeriod
from phare.jobs.models import Job
from phare.lib.metrics import format_value
from phare.listening import mailing, services
from phare.listening.models import Invitation, OptOut, Wave
from tests.listening.factories import make_barometer, make_crowd, plan

TODAY = dt.date.today()


@pytest.fixture
def survey(personas, org):
    make_crowd(org, n=20)
    return make_barometer(created_by=personas["marketing"])


def _form(**changes) -> dict:
    return {"name": "Automne", "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + dt.timedelta(days=20)).isoformat(), "units": ["DG"],
            "sample": "", "stratify_by": "", "reminder_days": ["7", "14"], **changes}


def test_the_lead_plans_a_wave_from_the_form(login, survey):
    client = login("marketing")
    response = client.get(reverse("listening:wave_new", args=[survey.slug]))
    page = response.content.decode()
    assert 'name="units"' in page and 'hx-get="/surveys/barometre/waves/preview/"' in page
    # At first, the whole directory (20 + 5 personas) is previewed.
    assert response.context["preview"]["population"] == 25
    response = client.post(reverse("listening:wave_new", args=[survey.slug]),
                           _form(sample="6", stratify_by="site"))
    wave = Wave.objects.get()
    assert response["Location"] == reverse("listening:wave", args=[survey.slug, 1])
    # The sample's seed is drawn and kept (the wave's page shows it); nobody types one.
    seed = wave.audience.pop("seed")
    assert isinstance(seed, int)
    assert wave.audience == {"units": ["DG"], "sites": [], "job_families": [], "sample": 6,
                             "stratify_by": "site"}
    assert wave.reminder_days == [7, 14]


def test_the_form_says_what_is_wrong_field_by_field(login, survey):
    client = login("marketing")
    page = client.post(reverse("listening:wave_new", args=[survey.slug]),
                       _form(reminder_days=["7", "soon"], stratify_by="site")).content.decode()
    assert "soon" in page  # the day that is not a number
    assert not Wave.objects.exists()
    response = client.post(reverse("listening:wave_new", args=[survey.slug]),
                           _form(closes_on=(TODAY - dt.timedelta(days=3)).isoformat()))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"closes_on"}
    response = client.post(reverse("listening:wave_new", args=[survey.slug]),
                           _form(stratify_by="site"))
    assert response.context["form"].errors.keys() == {"stratify_by"}


def test_the_preview_counts_the_audience_live(login, survey):
    client = login("marketing")
    url = reverse("listening:wave_preview", args=[survey.slug])
    fragment = client.get(url, {"units": ["DG"], "sample": "4", "stratify_by": "site"},
                          HTTP_HX_REQUEST="true")
    # DG and its sub-unit DSI: 10 of the crowd (half in Lyon) and 4 personas (in Paris).
    assert fragment.context["preview"]["population"] == 14
    assert [(s["code"], s["sample"]) for s in fragment.context["preview"]["strata"]] == [
        ("LYS", 1), ("PAR", 3)]
    assert "<html" not in fragment.content.decode()
    unknown = client.get(url, {"units": ["NOPE"]}, HTTP_HX_REQUEST="true")
    assert unknown.context["preview"] is None


def test_launching_from_the_page_invites_and_sends(login, survey, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    client = login("marketing")
    wave = plan(survey, units=["DG"])
    detail = client.get(reverse("listening:wave", args=[survey.slug, 1])).content.decode()
    assert reverse("listening:wave_launch", args=[survey.slug, 1]) in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listening:wave_launch", args=[survey.slug, 1]))
    assert response["Location"] == reverse("listening:wave", args=[survey.slug, 1])
    assert Invitation.objects.filter(wave=wave).count() == 14
    assert len(mailoutbox) == 14
    job = Job.objects.get(kind="listening.send_invitations")
    assert job.status == Job.Status.SUCCEEDED and job.created_by.username == "marketing"
    page = client.get(response["Location"])
    assert page.context["rates"]["overall"]["sent"] == 14
    html = page.content.decode()
    assert 'hx-trigger="every 5s"' in html
    assert reverse("jobs:detail", args=[job.pk]) in html
    assert reverse("listening:wave_remind", args=[survey.slug, 1]) in html


def test_the_launch_message_says_who_was_left_out_and_why(login, survey, org):
    contact.quiet_period_save(name="Clôture", starts_on=TODAY, ends_on=TODAY,
                              units=[org["sales"]], categories=[Category.SURVEY])
    client = login("marketing")
    client.cookies["django_language"] = "en"
    plan(survey)
    response = client.post(reverse("listening:wave_launch", args=[survey.slug, 1]),
                           follow=True)
    # The crowd's 10 people of VEN and the employee persona.
    assert [str(m) for m in response.context["messages"]] == [
        "Wave launched: 14 people invited; left out by contact pressure: Quiet period: 11. "
        "The emails are being sent."]
    plan(survey)
    contact.quiet_period_delete(period=QuietPeriod.objects.get())
    response = client.post(reverse("listening:wave_launch", args=[survey.slug, 2]),
                           follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Wave launched: 25 people invited. The emails are being sent."]


def test_the_live_part_is_polled_alone(login, survey):
    wave = plan(survey)
    services.wave_launch(wave)
    client = login("marketing")
    fragment = client.get(reverse("listening:wave", args=[survey.slug, 1]),
                          HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<section id=\"live\"")
    assert "<html" not in fragment


def test_remind_now_runs_as_a_job(login, survey, mailoutbox,
                                  django_capture_on_commit_callbacks):
    wave = plan(survey)
    services.wave_launch(wave)
    mailing.send_invitations(wave, now=timezone.now() - dt.timedelta(days=3))
    Invitation.objects.filter(wave=wave).order_by("pk").filter(
        pk__in=Invitation.objects.filter(wave=wave).order_by("pk").values("pk")[:5]).update(
        responded_on=TODAY)
    mailoutbox.clear()
    client = login("marketing")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("listening:wave_remind", args=[survey.slug, 1]))
    job = Job.objects.get(kind="listening.send_reminders")
    assert job.result == {"sent": 20, "failed": 0, "held_back": "0",
                          "held": {"opted_out": 0, "quiet_period": 0, "contact_cap": 0}}
    assert len(mailoutbox) == 20


def test_a_planned_wave_cannot_be_reminded_and_a_wrong_launch_says_why(login, survey):
    plan(survey)
    client = login("marketing")
    response = client.post(reverse("listening:wave_remind", args=[survey.slug, 1]),
                           follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    Wave.objects.update(closes_on=TODAY - dt.timedelta(days=1))
    response = client.post(reverse("listening:wave_launch", args=[survey.slug, 1]),
                           follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Invitation.objects.exists()


def test_the_list_shows_each_wave_with_its_rate(login, survey, django_assert_max_num_queries):
    first = plan(survey)
    services.wave_launch(first)
    Invitation.objects.filter(wave=first).update(sent_at=timezone.now())
    Invitation.objects.filter(pk__in=Invitation.objects.filter(wave=first).values("pk")[:5]) \
        .update(responded_on=TODAY)
    plan(survey)
    client = login("marketing")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("listening:waves", args=[survey.slug]))
    listed = {w.number: w.rates for w in page.context["waves"]}
    assert listed[1]["responded"] == 5 and listed[1]["rate"] == 0.2  # 5 of 25
    assert listed[2]["invited"] == 0
    assert format_value("response_rate", 20, "fr") in page.content.decode()


def test_other_roles_and_unknown_surveys(login, survey):
    assert login("owner").get(reverse("listening:waves", args=[survey.slug])).status_code == 403
    client = login("marketing")
    assert client.get(reverse("listening:waves", args=["nope"])).status_code == 404
    assert client.get(reverse("listening:wave", args=[survey.slug, 7])).status_code == 404


# --- opting out ---------------------------------------------------------------------------------

@pytest.fixture
def invitation(survey) -> Invitation:
    services.wave_launch(plan(survey))
    return Invitation.objects.select_related("person").first()


def test_opening_the_opt_out_link_alone_changes_nothing(client, invitation):
    url = reverse("answer:opt_out", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    assert not OptOut.objects.exists()


def test_confirming_opts_out_and_future_waves_skip_the_person(client, invitation, survey):
    url = reverse("answer:opt_out", args=[invitation.token])
    response = client.post(url, {"action": "opt_out"})
    assert response.status_code == 200 and response.context["state"] == "done"
    assert OptOut.objects.filter(person=invitation.person).exists()
    assert 'value="undo"' in response.content.decode()
    later = plan(survey)
    assert services.wave_launch(later)["opted_out"] == 1
    assert not Invitation.objects.filter(wave=later, person=invitation.person).exists()


def test_undo_receives_surveys_again(client, invitation):
    url = reverse("answer:opt_out", args=[invitation.token])
    client.post(url, {"action": "opt_out"})
    assert client.get(url).context["state"] == "done"
    response = client.post(url, {"action": "undo"})
    assert response.context["state"] == "undone"
    assert not OptOut.objects.exists()


def test_the_opt_out_page_speaks_the_invitation_language(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(language="en")
    page = client.get(reverse("answer:opt_out", args=[invitation.token]))
    assert page.content.decode().count('lang="en"') >= 1


def test_an_unknown_token_is_not_found(client, db):
    assert client.get(reverse("answer:opt_out", args=["no-such-token-anywhere"])
                      ).status_code == 404
    assert client.post(reverse("answer:opt_out", args=["no-such-token-anywhere"])
                       ).status_code == 404


# --- one-click unsubscribe (RFC 8058) -----------------------------------------------------------

ONE_CLICK = "List-Unsubscribe=One-Click"


def test_the_mail_programs_one_click_post_opts_out_without_csrf(invitation):
    # What a mail provider sends: no cookie, no CSRF token, the token in the URL is the authority.
    client = Client(enforce_csrf_checks=True)
    url = reverse("answer:opt_out", args=[invitation.token])
    response = client.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert OptOut.objects.filter(person=invitation.person).exists()
    # Sent again (providers retry), it stays one opt-out.
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert OptOut.objects.filter(person=invitation.person).count() == 1


def test_the_one_click_get_records_nothing(invitation):
    client = Client(enforce_csrf_checks=True)
    url = reverse("answer:opt_out", args=[invitation.token])
    assert client.get(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not OptOut.objects.exists()


def test_the_pages_own_form_still_needs_its_csrf_token(invitation):
    client = Client(enforce_csrf_checks=True)
    url = reverse("answer:opt_out", args=[invitation.token])
    assert client.post(url, {"action": "opt_out"}).status_code == 403
    assert not OptOut.objects.exists()
    page = client.get(url)
    token = page.context["csrf_token"]
    response = client.post(url, {"action": "opt_out", "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 200 and response.context["state"] == "done"
    assert OptOut.objects.filter(person=invitation.person).exists()


def test_a_one_click_post_with_an_unknown_token_is_not_found(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("answer:opt_out", args=["no-such-token-anywhere"]),
                           ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 404
    assert not OptOut.objects.exists()
