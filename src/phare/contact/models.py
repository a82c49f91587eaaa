"""Contact pressure: every solicitation a person receives, their opt-outs by category, and the
quiet periods when nothing but mandatory notices reaches them (the rules are in ``policy.py``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phare.directory.models import BusinessUnit, Person


class Category(models.TextChoices):
    """What a solicitation is, from the most to the least important (its priority)."""

    NOTICE = "notice", _("Service notice")
    SURVEY = "survey", _("Survey")
    EVENT = "event", _("Event")
    NEWSLETTER = "newsletter", _("News and campaigns")


class Solicitation(models.Model):
    """One message that reached (or is claimed to reach) one person: the pressure ledger."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="solicitations")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    source = models.CharField(_("source"), max_length=40)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        indexes = [models.Index(fields=["person", "at"], name="contact_person_at")]
        constraints = [models.UniqueConstraint(fields=["person", "source", "reference"],
                                               name="contact_once_per_reference")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.category} {self.at:%Y-%m-%d}"


class OptOut(models.Model):
    """A person who asked not to receive one category of messages (never mandatory notices;
    surveys have their own opt-out in listening)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_opt_outs")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    created_at = models.DateTimeField(_("opted out"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "category"],
                                               name="contact_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.category}"


class QuietPeriod(models.Model):
    """Days when the people of some units (with their sub-units; everyone when none) receive
    no solicitation of the given categories (every non-mandatory one when none)."""

    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (included)"))
    units = models.ManyToManyField(BusinessUnit, verbose_name=_("business units"), blank=True,
                                   related_name="+")
    categories = models.JSONField(_("categories"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return self.name
