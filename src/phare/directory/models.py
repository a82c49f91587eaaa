"""The organisation: people, business units (a tree), sites and job families."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Concat, Upper
from django.utils.translation import gettext_lazy as _

from phare.directory.search import Folded

LANGUAGES = [("fr", "Français"), ("en", "English")]


class BusinessUnit(models.Model):
    """A business unit of the group; sub-units point to their parent."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A place where people work (office, plant, warehouse), in France or abroad."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text="ISO 3166-1")

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class JobFamily(models.Model):
    """A family of jobs (engineering, sales, operations…), used to segment audiences."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("job family")
        verbose_name_plural = _("job families")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """An employee of the group as the HR directory knows them, keyed by employee id."""

    employee_id = models.CharField(_("employee id"), max_length=40, unique=True)
    first_name = models.CharField(_("first name"), max_length=120)
    last_name = models.CharField(_("last name"), max_length=120)
    email = models.EmailField(_("email"), max_length=254, db_index=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fr")
    business_unit = models.ForeignKey(
        BusinessUnit, verbose_name=_("business unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="people",
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="people",
    )
    job_family = models.ForeignKey(
        JobFamily, verbose_name=_("job family"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="people",
    )
    manager = models.ForeignKey(
        "self", verbose_name=_("manager"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="reports",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What the search reads (phare.directory.search): the names and the address as fold()
    # writes them. Computed by the database on every write, whoever writes (a save, the
    # importer's raw UPDATE, a bulk_create, an erasure's update), so no writer can forget them.
    name_key = models.GeneratedField(
        expression=Folded(Concat("first_name", models.Value(" "), "last_name")),
        output_field=models.TextField(), db_persist=True)
    email_key = models.GeneratedField(expression=Folded("email"),
                                      output_field=models.TextField(), db_persist=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # The directory's order: a page of a common word is read in order, not sorted.
            models.Index(fields=["last_name", "first_name", "employee_id"],
                         name="directory_person_by_name"),
            # A search word is also an employee id, case aside (the search's third arm).
            models.Index(Upper("employee_id"), name="directory_person_id_upper"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
