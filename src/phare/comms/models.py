"""The communication plan: plans and their objectives, saved audiences, actions on every
channel, their deliveries, clicks and registrations, and the playbooks' proposals.

What is said to people is measured from what they do, never from what they answered: an
audience never selects by the answers of a survey, and results about people are released
through the disclosure layer (``phare.analysis.disclosure``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phare.catalog.models import Service
from phare.contact.models import Category
from phare.directory.models import Person


def new_token() -> str:
    return secrets.token_urlsafe(18)


def written_in() -> models.CharField:
    """The language a name, title or description was typed in (one language only): shown as
    written, marked for readers of the other (``{{ text|written_in:obj.language }}``)."""
    return models.CharField(_("written in"), max_length=2, choices=settings.LANGUAGES,
                            default="fr")


class Plan(models.Model):
    """A year's or a quarter's communication plan."""

    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    description = models.TextField(_("description"), blank=True)
    #: The language its name and description were written in.
    language = written_in()
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                          verbose_name=_("contributors"), related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """What the plan wants to change, tied (when it can be) to a figure Phare measures."""

    class Metric(models.TextChoices):
        NONE = "none", _("Not measured by Phare")
        NPS = "nps", _("Barometer NPS")
        SATISFACTION = "satisfaction", _("Satisfaction with an attribute")
        TICKET_HAPPINESS = "ticket_happiness", _("Ticket happiness")
        ADOPTION = "adoption", _("Adoption of a service")
        RESPONSE_RATE = "response_rate", _("Response rate of a wave")
        NEEDS_ANSWERED = "needs_answered", _("Share of needs answered")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("title"), max_length=200)
    #: The language its title was written in.
    language = written_in()
    metric = models.CharField(_("figure"), max_length=20, choices=Metric.choices,
                              default=Metric.NONE)
    #: What the figure is of: ``survey`` (slug), ``question`` and ``option`` (an attribute of a
    #: barometer's grid), ``service`` (slug), ``units`` (codes), ``wave`` (id).
    params = models.JSONField(_("figure's parameters"), default=dict, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=8, decimal_places=2, null=True,
                                   blank=True)
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=2, null=True,
                                 blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    source = models.CharField(_("origin"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Audience(models.Model):
    """A saved segment, evaluated when a message goes (criteria in ``audiences.py``)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    #: The language its name and description were written in.
    language = written_in()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Webhook(models.Model):
    """An incoming-webhook address of a Teams or Slack channel (the address is a secret)."""

    class Kind(models.TextChoices):
        TEAMS = "teams", _("Microsoft Teams")
        SLACK = "slack", _("Slack")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    url = models.URLField(_("webhook address"), max_length=1000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    """A message, campaign, event or publication of a plan, from idea to measured."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        CAMPAIGN = "campaign", _("Campaign")
        EVENT = "event", _("Event")
        PUBLICATION = "publication", _("Publication")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        PORTAL = "portal", _("Portal news")
        WEBHOOK = "webhook", _("Teams or Slack post")
        EVENT = "event", _("Event invitation")
        PRINT = "print", _("Printed or intranet material")

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        # "Planifiée": an action is feminine in French (needs say "Planifié").
        PLANNED = "planned", pgettext_lazy("action", "Planned")
        READY = "ready", _("Ready")
        APPROVED = "approved", _("Approved")
        SENDING = "sending", _("Sending")
        DONE = "done", _("Sent or done")
        MEASURED = "measured", _("Measured")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="actions", verbose_name=_("objective"))
    title = models.CharField(_("title"), max_length=200)
    #: The language its title was written in (its messages have their own: ``languages``).
    language = written_in()
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MESSAGE)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices,
                               default=Channel.EMAIL)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices,
                                default=Category.NEWSLETTER)
    #: A notice people must receive (an outage, a migration deadline): counted in the contact
    #: pressure but never refused by it, and without an unsubscribe link.
    mandatory = models.BooleanField(_("mandatory notice"), default=False)
    audience = models.ForeignKey(Audience, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="actions", verbose_name=_("audience"))
    #: Everyone in the directory (no audience): needs an executive's approval to be emailed.
    everyone = models.BooleanField(_("everyone"), default=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("owner"))
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                          verbose_name=_("contributors"), related_name="+")
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    budget = models.DecimalField(_("budget (€)"), max_digits=10, decimal_places=2, null=True,
                                 blank=True, validators=[MinValueValidator(0)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.IDEA)
    services = models.ManyToManyField(Service, blank=True, verbose_name=_("services"),
                                      related_name="+")
    subject_fr = models.CharField(_("subject (French)"), max_length=200, blank=True)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_fr = models.TextField(_("text (French, Markdown)"), blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="actions", verbose_name=_("webhook"))
    #: Events: where, when it ends (``starts_at`` and ``ends_at`` for the invitation), seats.
    location = models.CharField(_("location"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    #: Portal news: shown until this day.
    expires_on = models.DateField(_("shown until"), null=True, blank=True)
    #: The share of the audience held out at random as a control group (0: none).
    holdout_percent = models.PositiveSmallIntegerField(
        _("control group (%)"), default=0, validators=[MinValueValidator(0),
                                                       MaxValueValidator(50)])
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    #: The playbook that proposed it: ``<playbook>:<what it is about>`` (one proposal each).
    origin = models.CharField(_("origin"), max_length=80, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["status", "send_at"], name="comms_action_due")]

    def __str__(self) -> str:
        return self.title


class ActionChange(models.Model):
    """One step of an action's life: a status change, an approval, a comment."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=Action.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Action.Status.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.from_status} → {self.to_status}"


class Attachment(models.Model):
    """A file attached to an action (a visual, a brief)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="comms/%Y/%m")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One person of an action's audience: reached, held out as control, or skipped (why)."""

    class Group(models.TextChoices):
        REACHED = "reached", _("Reached")
        CONTROL = "control", _("Control group")
        SKIPPED = "skipped", _("Skipped")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused by the server")
        FAILED = "failed", _("Failed")
        UNCERTAIN = "uncertain", _("Interrupted while sending")
        NONE = "none", _("Not sent")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=8, choices=Group.choices)
    #: Why a person was skipped: a contact-pressure reason, ``no_email``, ``suppressed``.
    reason = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    language = models.CharField(max_length=2, default="fr")
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "person"],
                                               name="comms_delivery_once")]
        indexes = [models.Index(fields=["action", "status"], name="comms_delivery_status")]

    def __str__(self) -> str:
        return f"{self.action_id} → {self.person_id} ({self.group}, {self.status})"


class Link(models.Model):
    """A link of an action's message, sent through Phare's redirect to count clicks."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=2000)
    #: Clicks counted when individual tracking is off (``PHARE_COMMS_INDIVIDUAL_TRACKING``).
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "url"],
                                               name="comms_link_once")]

    def __str__(self) -> str:
        return self.url


class Click(models.Model):
    """The first click of one reached person on one link (unique per person and link)."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="person_clicks")
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="clicks")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "delivery"],
                                               name="comms_click_once")]

    def __str__(self) -> str:
        return f"{self.link_id} by {self.delivery_id}"


class Open(models.Model):
    """An open pixel fetched (only when ``PHARE_COMMS_OPEN_PIXEL`` is on; unreliable)."""

    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="opened")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.delivery_id)


class Registration(models.Model):
    """A person registered to an event, and whether they came."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "person"],
                                               name="comms_registration_once")]

    def __str__(self) -> str:
        return f"{self.action_id} ← {self.person_id}"


class Bounce(models.Model):
    """Hard refusals of one address by the mail server; past the limit it receives no more."""

    email = models.EmailField(unique=True)
    count = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.email


class CalendarFeed(models.Model):
    """A person's secret address for the plan's ICS feed (only its digest is kept)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="comms_feed")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.user_id)
