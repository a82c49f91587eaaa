"""The IT offer in business language: families, services, commitments, FAQ, news, history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.lib.i18n import in_language


class OfferFamily(models.Model):
    """A family of the offer as employees browse it ("Travailler à distance")."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_fr = models.CharField(_("description (French)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("offer family")
        verbose_name_plural = _("offer families")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")

    @property
    def description(self) -> str:
        return in_language(self, "description")


class Service(models.Model):
    """A service of the IT offer, described in the words of its users."""

    class Lifecycle(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DESIGN = "design", _("In design")
        LIVE = "live", _("Live")
        RETIRING = "retiring", _("Retiring")
        RETIRED = "retired", _("Retired")

    class Publication(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    class CostUnit(models.TextChoices):
        NONE = "none", _("No unit cost")
        USER_MONTH = "user_month", _("per user per month")
        REQUEST = "request", _("per request")

    class Charging(models.TextChoices):
        INCLUDED = "included", _("Included")
        CHARGED_BACK = "charged_back", _("Charged back")

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    promise_fr = models.CharField(_("promise (French)"), max_length=200)
    promise_en = models.CharField(_("promise (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French, Markdown)"), blank=True)
    description_en = models.TextField(_("description (English, Markdown)"), blank=True)
    how_to_get_fr = models.TextField(_("how to get it (French, Markdown)"), blank=True)
    how_to_get_en = models.TextField(_("how to get it (English, Markdown)"), blank=True)
    request_url = models.URLField(_("request link"), max_length=500, blank=True)
    family = models.ForeignKey(OfferFamily, verbose_name=_("offer family"),
                               on_delete=models.PROTECT, related_name="services")
    #: Words people type that are not in the texts: "vpn", "teletravail", "remote".
    keywords = models.TextField(_("keywords and synonyms"), blank=True)

    # Audience: everyone, or the people matching every dimension that lists something.
    audience_everyone = models.BooleanField(_("for everyone"), default=True)
    audience_units = models.ManyToManyField(BusinessUnit, verbose_name=_("business units"),
                                            blank=True, related_name="+")
    audience_sites = models.ManyToManyField(Site, verbose_name=_("sites"), blank=True,
                                            related_name="+")
    audience_job_families = models.ManyToManyField(JobFamily, verbose_name=_("job families"),
                                                   blank=True, related_name="+")

    cost_unit = models.CharField(_("cost unit"), max_length=20, choices=CostUnit.choices,
                                 default=CostUnit.NONE)
    unit_cost = models.DecimalField(_("unit cost (€)"), max_digits=10, decimal_places=2,
                                    null=True, blank=True)
    charging = models.CharField(_("charging"), max_length=20, choices=Charging.choices,
                                default=Charging.INCLUDED)
    annual_run_cost = models.DecimalField(_("annual run cost (€)"), max_digits=12,
                                          decimal_places=2, null=True, blank=True)

    owner = models.ForeignKey(Person, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="owned_services")
    deputy = models.ForeignKey(Person, verbose_name=_("deputy"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="deputy_services")
    related = models.ManyToManyField("self", verbose_name=_("related services"), blank=True)

    lifecycle = models.CharField(_("lifecycle"), max_length=12, choices=Lifecycle.choices,
                                 default=Lifecycle.PROPOSED)
    replacement = models.ForeignKey("self", verbose_name=_("replaced by"), null=True,
                                    blank=True, on_delete=models.SET_NULL,
                                    related_name="replaces")
    publication = models.CharField(_("publication"), max_length=12,
                                   choices=Publication.choices, default=Publication.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    #: Changes an owner proposed to a published service, shown once the marketing lead
    #: publishes them; the portal keeps showing the published content meanwhile.
    pending = models.JSONField(_("pending changes"), null=True, blank=True)
    pending_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    pending_submitted = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["publication", "lifecycle"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")

    @property
    def promise(self) -> str:
        return in_language(self, "promise")

    @property
    def description(self) -> str:
        return in_language(self, "description")

    @property
    def how_to_get(self) -> str:
        return in_language(self, "how_to_get")


class Commitment(models.Model):
    """A promise in plain words with a measurable target ("Compte créé en 1 jour ouvré — 95 %")."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "%"
        HOURS = "hours", _("hours")
        BUSINESS_DAYS = "business_days", _("business days")
        MINUTES = "minutes", _("minutes")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="commitments")
    text_fr = models.CharField(_("commitment (French)"), max_length=200)
    text_en = models.CharField(_("commitment (English)"), max_length=200, blank=True)
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.PERCENT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self, "text")


class Faq(models.Model):
    """A question employees ask about a service, with its answer (Markdown)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="faqs")
    question_fr = models.CharField(_("question (French)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    answer_fr = models.TextField(_("answer (French, Markdown)"))
    answer_en = models.TextField(_("answer (English, Markdown)"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.question

    @property
    def question(self) -> str:
        return in_language(self, "question")

    @property
    def answer(self) -> str:
        return in_language(self, "answer")


class NewsEntry(models.Model):
    """A dated "what's new" entry of a service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="news")
    date = models.DateField(_("date"))
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_fr = models.TextField(_("text (French, Markdown)"), blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("news entry")
        verbose_name_plural = _("news entries")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def body(self) -> str:
        return in_language(self, "body")


class Revision(models.Model):
    """One recorded action on a service: who did what, when, with the fields it changed."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        PROPOSED = "proposed", _("Changes proposed")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Sent back to its owner")
        UNPUBLISHED = "unpublished", _("Unpublished")
        LIFECYCLE = "lifecycle", _("Lifecycle changed")
        IMPORTED = "imported", _("Imported")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="revisions")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class FieldChange(models.Model):
    """One field of a service changed by a revision, from what to what."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("field"), max_length=60)
    old = models.TextField(_("before"), blank=True)
    new = models.TextField(_("after"), blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.field
