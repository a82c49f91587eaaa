"""Needs and ideas from the business, their votes, scores and arbitration campaigns."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, Person
from phare.lib.i18n import bilingual, in_language


class Need(models.Model):
    """A need or an idea raised by an employee, from submission to delivery (or decline)."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        QUALIFIED = "qualified", _("Qualified")
        UNDER_STUDY = "under_study", _("Under study")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        DECLINED = "declined", _("Declined")
        MERGED = "merged", _("Merged")

    class Urgency(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    #: The language its submitter wrote it in: shown as written, marked for other readers.
    language = models.CharField(_("written in"), max_length=2, choices=settings.LANGUAGES,
                                default="fr")
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices,
                               default=Urgency.MEDIUM)
    #: The unit raising the need; minimum shares of an arbitration count by its top-level unit.
    business_unit = models.ForeignKey(BusinessUnit, verbose_name=_("business unit"),
                                      on_delete=models.PROTECT, related_name="needs")
    #: Units whose people are concerned: the reach is counted from them (else from the unit).
    concerned_units = models.ManyToManyField(BusinessUnit, verbose_name=_("units concerned"),
                                             blank=True, related_name="concerning_needs")
    services = models.ManyToManyField(Service, verbose_name=_("related catalogue services"),
                                      blank=True, related_name="needs")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.NEW, db_index=True)
    submitter = models.ForeignKey(Person, verbose_name=_("submitted by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="needs_submitted")
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="duplicates")
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


#: Needs people may still vote on, follow for news, and find as similar.
OPEN_STATUSES = frozenset({Need.Status.NEW, Need.Status.QUALIFIED, Need.Status.UNDER_STUDY,
                           Need.Status.PLANNED, Need.Status.IN_PROGRESS})


class StatusChange(models.Model):
    """One step of a need's history: from one status to another, by whom, when and why."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=12, choices=Need.Status.choices,
                                   blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Need.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    #: Set when the change comes from a published arbitration.
    campaign = models.ForeignKey("Campaign", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.need_id}: {self.from_status} → {self.to_status}"


class Vote(models.Model):
    """One person's support for a need; withdrawn by deleting it."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="need_votes")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "person"],
                                               name="one_vote_per_person")]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.person_id} → {self.need_id}"


class Follow(models.Model):
    """A person who gets the news of a need by email."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="need_follows")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "person"],
                                               name="one_follow_per_person")]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.need_id}"


class Comment(models.Model):
    """A comment on a need, by an employee or the marketing lead."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]


# --- Scoring ---------------------------------------------------------------------------------


class Criterion(models.Model):
    """A scoring criterion and its weight in the weighted score; the built-in ones have fixed
    meanings (costs and effort are also the arbitration's constraints)."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating from 1 to 5")
        PEOPLE = "people", _("Number of people")
        MONEY = "money", _("Amount in k€")
        DAYS = "days", _("Person-days")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.RATING)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1,
                                 validators=[MinValueValidator(0)])
    builtin = models.BooleanField(default=False, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class DeliveryTeam(models.Model):
    """A team that delivers needs; arbitration campaigns give each a capacity in person-days."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("delivery team")
        verbose_name_plural = _("delivery teams")

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """The value of one criterion for one need (ratings 1–5, people, k€)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2,
                                validators=[MinValueValidator(0)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "criterion"], name="one_score")]

    def __str__(self) -> str:
        return f"{self.need_id} {self.criterion_id} = {self.value}"


class Effort(models.Model):
    """Person-days one delivery team needs to deliver one need."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="efforts")
    team = models.ForeignKey(DeliveryTeam, on_delete=models.PROTECT, related_name="efforts")
    days = models.DecimalField(_("person-days"), max_digits=8, decimal_places=1,
                               validators=[MinValueValidator(0)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "team"], name="one_effort")]

    def __str__(self) -> str:
        return f"{self.need_id} {self.team_id}: {self.days}"


# --- Arbitration -----------------------------------------------------------------------------


class Campaign(models.Model):
    """An arbitration campaign: a set of needs, a scoring method and the constraints."""

    class Method(models.TextChoices):
        WEIGHTED = "weighted", _("Weighted score")
        RICE = "rice", _("RICE")
        WSJF = "wsjf", _("WSJF")

    class Status(models.TextChoices):
        # A campaign is feminine in French ("une campagne publiée"): its own contexts.
        OPEN = "open", pgettext_lazy("campaign", "Open")
        DECIDED = "decided", pgettext_lazy("campaign", "Decided")
        PUBLISHED = "published", pgettext_lazy("campaign", "Published")

    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, default="")
    description = models.TextField(_("description"), blank=True)
    #: The language its description was written in: shown as written, marked for other readers.
    language = models.CharField(_("written in"), max_length=2, choices=settings.LANGUAGES,
                                default="fr")
    method = models.CharField(_("scoring method"), max_length=10, choices=Method.choices,
                              default=Method.WEIGHTED)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    budget_one_off = models.DecimalField(_("one-off budget (k€)"), max_digits=12,
                                         decimal_places=1, validators=[MinValueValidator(0)])
    budget_recurring = models.DecimalField(_("recurring budget (k€ a year)"), max_digits=12,
                                           decimal_places=1, validators=[MinValueValidator(0)])
    #: While the campaign is open, a person may vote for at most this many of its needs.
    vote_cap = models.PositiveSmallIntegerField(_("votes per person"), null=True, blank=True,
                                                validators=[MinValueValidator(1)])
    needs = models.ManyToManyField(Need, verbose_name=_("needs"), blank=True,
                                   related_name="campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("arbitration campaign")
        verbose_name_plural = _("arbitration campaigns")

    def __str__(self) -> str:
        return self.name

    #: The name in the reader's language (French when it has no English name).
    name = bilingual("name")


class Capacity(models.Model):
    """A delivery team's person-days for a campaign; a team without one is not limited."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="capacities")
    team = models.ForeignKey(DeliveryTeam, on_delete=models.PROTECT, related_name="+")
    days = models.DecimalField(_("person-days"), max_digits=8, decimal_places=1,
                               validators=[MinValueValidator(0)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "team"], name="one_capacity")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.team_id}: {self.days}"


class Rule(models.Model):
    """A constraint on needs of a campaign: a need that must be in, A requires B, A or B."""

    class Kind(models.TextChoices):
        MANDATORY = "mandatory", _("must be in")
        REQUIRES = "requires", _("requires")
        EXCLUDES = "excludes", _("excludes")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Need, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.need_id} {self.kind} {self.other_id or ''}".strip()


class Share(models.Model):
    """The least share of the value chosen that goes to a top-level business unit."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="shares")
    unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(_("minimum share (%)"), max_digits=5, decimal_places=1,
                                  validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_share")]

    def __str__(self) -> str:
        return f"{self.unit_id} ≥ {self.percent} %"


class Arbitration(models.Model):
    """One run of the optimiser on a campaign, frozen: its inputs and scores, the portfolio,
    then the explanations and budget curve a background job adds. Never edited otherwise."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="arbitrations")
    number = models.PositiveIntegerField()
    inputs = models.JSONField()
    result = models.JSONField()
    #: Need id (as text) → what would bring it in, or what it keeps out (see arbitration.py).
    explanations = models.JSONField(default=dict, blank=True)
    curve = models.JSONField(null=True, blank=True)
    explained_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"],
                                               name="one_arbitration_number")]

    def __str__(self) -> str:
        return f"{self.campaign_id} #{self.number}"


class Decision(models.Model):
    """The arbitration a campaign settled on, who decided, when and why; then its publication."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="decision")
    arbitration = models.ForeignKey(Arbitration, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    #: The language the reason was written in: shown as written, marked for other readers.
    language = models.CharField(_("written in"), max_length=2, choices=settings.LANGUAGES,
                                default="fr")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.arbitration_id}"


# --- Notifications ---------------------------------------------------------------------------


class Notification(models.Model):
    """News for one person, waiting for the next digest email (``sent_at`` empty)."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        MERGED = "merged", _("Merged")
        DECISION = "decision", _("Arbitration decision")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="need_news")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: What the email says, as data: rendered in the person's language when sent.
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.need_id} → {self.person_id}"
