"""Directory test data: a tiny organisation and its people."""

from __future__ import annotations

from phare.directory.models import BusinessUnit, JobFamily, Person, Site


def make_org() -> dict[str, object]:
    """Two units (one a sub-unit), two sites, two job families (the ``org`` fixture)."""
    dg = BusinessUnit.objects.create(code="DG", name="Direction générale")
    dsi = BusinessUnit.objects.create(code="DSI", name="Systèmes d'information", parent=dg)
    sales = BusinessUnit.objects.create(code="VEN", name="Ventes")
    paris = Site.objects.create(code="PAR", name="Paris La Défense", city="Paris", country="FR")
    lyon = Site.objects.create(code="LYS", name="Lyon Gerland", city="Lyon", country="FR")
    it = JobFamily.objects.create(code="IT", name="Informatique")
    sell = JobFamily.objects.create(code="COM", name="Commercial")
    return {"dg": dg, "dsi": dsi, "sales": sales, "paris": paris, "lyon": lyon, "it": it,
            "sell": sell}


def make_person(org: dict[str, object], employee_id: str, first: str, last: str,
                **extra: object) -> Person:
    """A person of ``org``: in the IT unit in Paris unless ``extra`` says otherwise."""
    values = {"email": f"{first}.{last}@example.com".lower(), "business_unit": org["dsi"],
              "site": org["paris"], "job_family": org["it"], "language": "fr"}
    values.update(extra)
    return Person.objects.create(employee_id=employee_id, first_name=first, last_name=last,
                                 **values)
