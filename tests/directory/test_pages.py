from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phare.directory.models import Person
from phare.jobs.models import Job
from tests.directory.factories import make_person


def test_the_people_list_filters_by_unit_including_sub_units(login, org):
    client = login("marketing")
    under_dg = client.get(reverse("directory:people"), {"business_unit": "DG"}).content.decode()
    assert "5 personnes trouvées" not in under_dg
    assert "4 personnes trouvées" in under_dg  # DG itself (1) and DSI below it (3)
    sales = client.get(reverse("directory:people"), {"business_unit": "VEN"}).content.decode()
    assert "1 personne trouvée" in sales and "Martin Eric" in sales


def test_the_search_finds_by_name_email_or_employee_id(login):
    client = login("admin")
    for query in ("marchand", "mathilde.marchand@", "E0002"):
        page = client.get(reverse("directory:people"), {"q": query}).content.decode()
        assert "1 personne trouvée" in page, query


def test_htmx_requests_get_only_the_results(login):
    page = login("admin").get(reverse("directory:people"), {"q": "martin"},
                              HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in page
    assert "Martin Eric" in page


def test_the_people_list_query_count_does_not_grow_with_people(login, org,
                                                               django_assert_num_queries):
    client = login("admin")
    client.get(reverse("directory:people"))  # the session is loaded once per test
    # session, user, person; summary (5), filter choices (3); count and page of people.
    with django_assert_num_queries(13):
        client.get(reverse("directory:people"))
    for i in range(30):
        make_person(org, f"X{i:03}", "Zoé", f"Extra{i:03}", email=f"z{i}@example.com",
                    manager=org_boss(org))
    with django_assert_num_queries(13):
        response = client.get(reverse("directory:people"))
    assert "35 personnes trouvées" in response.content.decode()


def org_boss(org):
    return Person.objects.get(employee_id="E0004")


def test_inactive_people_are_hidden_unless_asked(login, personas):
    Person.objects.filter(employee_id="E0004").update(active=False)
    client = login("admin")
    assert "Dupont" not in client.get(reverse("directory:people")).content.decode()
    page = client.get(reverse("directory:people"), {"status": "inactive"}).content.decode()
    assert "Dupont Claire" in page


def test_the_person_page_shows_manager_and_reports(login, personas):
    boss = Person.objects.get(employee_id="E0004")
    Person.objects.filter(employee_id__in=["E0002", "E0003"]).update(manager=boss)
    page = login("marketing").get(reverse("directory:person", args=["E0004"])).content.decode()
    assert "2 collaborateurs directs" in page
    assert "Mathilde Marchand" in page


def test_the_units_page_counts_people_below_each_unit(login):
    page = login("admin").get(reverse("directory:units")).content.decode()
    assert "Direction générale" in page and "4 personnes" in page


def test_a_web_import_starts_a_job_and_shows_its_result(login, django_capture_on_commit_callbacks):
    client = login("admin")
    upload = SimpleUploadedFile(
        "people.csv", b"employee_id,first_name,last_name,email\nN1,Anne,Petit,anne@example.com\n",
        content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:import"),
                               {"file": upload, "keep_missing": "on"})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert Person.objects.filter(employee_id="N1").exists()
    assert Person.objects.filter(active=True).count() == 6
    page = client.get(response["Location"]).content.decode()
    assert "Réussie" in page


def test_a_web_import_refuses_a_file_that_is_not_csv(login):
    upload = SimpleUploadedFile("people.xlsx", b"PK\x03\x04", content_type="application/zip")
    page = login("admin").post(reverse("directory:import"), {"file": upload}).content.decode()
    assert "Un fichier .csv est attendu" in page
    assert not Job.objects.exists()


def test_pager_links_keep_plain_numbers_past_a_thousand_pages(login, org, monkeypatch):
    from phare.directory import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    Person.objects.bulk_create(
        Person(employee_id=f"B{i:05}", first_name="Bulk", last_name=f"P{i:05}",
               email=f"b{i}@example.com") for i in range(1200))
    page = login("admin").get(reverse("directory:people"), {"page": "1000"}).content.decode()
    assert "page=1001" in page and "page=999" in page
    assert "1 205 personnes trouvées" in page.replace("\u202f", " ").replace("\xa0", " ")
