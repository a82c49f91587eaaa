"""The audience pages: the list with live sizes, the criteria form with field errors and
nothing written, the live size endpoint, deletion refused while actions use an audience."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from phare.comms import audiences
from phare.comms.models import Audience
from phare.directory.models import BusinessUnit
from tests.comms.factories import make_action, make_audience, make_people, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.PHARE_USAGE_MIN_GROUP = 5


@pytest.fixture
def finance(org):
    unit = BusinessUnit.objects.create(code="FIN", name="Finance", parent=org["dg"])
    return make_people(org, 7, prefix="FIN", unit=unit)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_it_has_its_addresses():
    assert reverse("comms:audiences") == "/comms/audiences/"
    assert reverse("comms:audience_new") == "/comms/audiences/new/"
    assert reverse("comms:audience_edit", args=[3]) == "/comms/audiences/3/"
    assert reverse("comms:audience_size") == "/comms/audiences/size/"
    assert reverse("comms:audience_delete", args=[3]) == "/comms/audiences/3/delete/"


@pytest.mark.parametrize(("who", "status"), [("marketing", 200), ("admin", 200),
                                             ("executive", 403), ("owner", 403),
                                             ("employee", 403)])
def test_it_opens_to_the_managers_only(login, personas, who, status):
    audience = make_audience({"units": ["DSI"]})
    client = login(who)
    assert client.get("/comms/audiences/").status_code == status
    assert client.get("/comms/audiences/new/").status_code == status
    assert client.get(f"/comms/audiences/{audience.pk}/").status_code == status
    assert client.post("/comms/audiences/size/", {}).status_code == status


def test_it_lists_audiences_with_their_size_and_description(login, finance):
    make_audience({"units": ["FIN"]}, name="Finance")
    make_audience({"units": ["VEN"]}, name="Ventes")  # nobody there: fewer than five
    page = english(login("marketing")).get("/comms/audiences/").content.decode()
    row = page[page.index(">Finance<"):]
    row = row[:row.index("</tr>")]
    assert ">7<" in row.replace("\n", "").replace(" ", "") or "7</td>" in row
    assert "People of Finance, with their sub-units" in row
    sales = page[page.index(">Ventes<"):]
    sales = sales[:sales.index("</tr>")]
    assert "fewer than 5" in sales


def test_it_creates_an_audience_from_the_form(login, finance):
    response = login("marketing").post("/comms/audiences/new/", {
        "name": "Finance sans DSI", "description": "", "units": ["FIN", "DSI"],
        "sub_units": "on", "reports": "all", "exclude_units": ["DSI"]})
    assert response.status_code == 302 and response["Location"] == "/comms/audiences/"
    audience = Audience.objects.get()
    assert audience.criteria == {"units": ["DSI", "FIN"], "sub_units": True,
                                 "exclude": {"units": ["DSI"], "sub_units": True}}


def test_it_edits_an_audience(login, finance):
    audience = make_audience({"units": ["FIN"]}, name="Finance")
    client = login("marketing")
    page = client.get(f"/comms/audiences/{audience.pk}/").content.decode()
    assert 'value="FIN" selected' in page and 'data-size="7"' in page
    response = client.post(f"/comms/audiences/{audience.pk}/", {
        "name": "Finance à Lyon", "units": ["FIN"], "sub_units": "on", "sites": ["LYS"],
        "reports": "all"})
    assert response.status_code == 302
    audience.refresh_from_db()
    assert audience.name == "Finance à Lyon"
    assert audience.criteria["sites"] == ["LYS"]


def test_it_puts_errors_on_their_fields_and_writes_nothing(login, finance):
    client = english(login("marketing"))
    response = client.post("/comms/audiences/new/", {
        "name": "", "units": ["NOPE"], "needs": ["1", "deux"], "usage_days": "0",
        "wave": "999999", "reports": "all"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"name", "units", "needs", "usage_days"}
    assert "“deux” is not a valid value." in form.errors["needs"]  # needs are picked
    page = response.content.decode()
    assert page.count('class="field invalid"') >= 4
    assert not Audience.objects.exists()


def test_it_puts_a_missing_reference_on_its_field(login, finance):
    response = english(login("marketing")).post("/comms/audiences/new/", {
        "name": "Vague", "wave": "999999", "reports": "all"})
    assert response.status_code == 200
    assert "wave" in response.context["form"].errors
    assert not Audience.objects.exists()


def test_it_counts_the_size_live_as_criteria_change(login, finance, org):
    make_people(org, 2, prefix="FINL", unit=BusinessUnit.objects.get(code="FIN"),
                site=org["lyon"])
    client = english(login("marketing"))
    page = client.post("/comms/audiences/size/", {"units": ["FIN"], "sub_units": "on",
                                                  "reports": "all"}).content.decode()
    assert 'data-size="9"' in page and "People of Finance, with their sub-units" in page
    # Narrower: fewer than five people are never counted on screen.
    page = client.post("/comms/audiences/size/", {"units": ["FIN"], "sub_units": "on",
                                                  "sites": ["LYS"], "reports": "all"}
                       ).content.decode()
    assert 'data-size="hidden"' in page and "Fewer than 5" in page
    assert "People working at Lyon Gerland" in page
    # Wider: the unit above with its sub-units (Finance and IT, with the personas in them).
    wide = audiences.size({"units": ["DG"]})
    assert wide > 9
    page = client.post("/comms/audiences/size/", {"units": ["DG"], "sub_units": "on",
                                                  "reports": "all"}).content.decode()
    assert f'data-size="{wide}"' in page
    # Nothing chosen, then a field that cannot be read: said, and no size.
    page = client.post("/comms/audiences/size/", {"reports": "all"}).content.decode()
    assert "Nobody: no criterion is chosen" in page and 'data-size="0"' in page
    page = client.post("/comms/audiences/size/", {"needs": "x", "reports": "all"}
                       ).content.decode()
    assert "“x” is not a valid value." in page and "data-size" not in page
    assert client.get("/comms/audiences/size/").status_code == 405


def test_it_deletes_an_unused_audience_and_refuses_a_used_one(login, personas):
    unused = make_audience({"units": ["DSI"]}, name="Libre")
    used = make_audience({"units": ["DSI"]}, name="Utilisée")
    make_action(make_plan(personas["marketing"]), audience=used)
    client = english(login("marketing"))
    assert client.post(f"/comms/audiences/{unused.pk}/delete/").status_code == 302
    response = client.post(f"/comms/audiences/{used.pk}/delete/", follow=True)
    assert "Actions use this audience: change them first." in response.content.decode()
    assert list(Audience.objects.values_list("name", flat=True)) == ["Utilisée"]
    assert client.get(f"/comms/audiences/{used.pk}/delete/").status_code == 405
