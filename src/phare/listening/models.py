"""Surveys and what they collect: versions, questions, waves, invitations, responses.

Anonymity is a property of the data model, not of the pages:

- an *anonymous* survey's :class:`Response` has no link to a person or an invitation, a random
  primary key (no insertion order to match against invitations), and only the day it was given;
  the segment labels (business unit, site, job family) are copied from the invitation;
- a *confidential* survey's response keeps the respondent, shown only in aggregates;
- a *named* survey's response keeps the respondent, who saw that on the page.
"""

from __future__ import annotations

import secrets
import uuid
from typing import cast

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phare.catalog.models import Service
from phare.directory.models import Person
from phare.lib.i18n import bilingual, in_language

#: The smallest group whose results may be seen, and its floor for verbatims.
MIN_GROUP_SIZE = 5
MIN_VERBATIM_GROUP_SIZE = 10


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Survey(models.Model):
    """A questionnaire and the rules it is collected under."""

    class Kind(models.TextChoices):
        BAROMETER = "barometer", _("Barometer")
        TRANSACTIONAL = "transactional", _("Ticket feedback")
        PULSE = "pulse", _("Pulse")
        SERVICE = "service", _("Service survey")
        #: A positioning study's questionnaire: run in waves like a barometer, read by the
        #: positioning app (never shown as a barometer).
        STUDY = "study", _("Positioning study")

    class Anonymity(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous")
        CONFIDENTIAL = "confidential", _("Confidential")
        NAMED = "named", _("Named")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    anonymity = models.CharField(_("anonymity"), max_length=16, choices=Anonymity.choices,
                                 default=Anonymity.ANONYMOUS)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.DRAFT)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    thanks_fr = models.TextField(_("thank-you message (French)"), blank=True)
    thanks_en = models.TextField(_("thank-you message (English)"), blank=True)
    service = models.ForeignKey(Service, verbose_name=_("catalogue service"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="surveys")
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size"), default=MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE)])
    min_verbatim_group_size = models.PositiveSmallIntegerField(
        _("minimum group size for verbatims"), default=MIN_VERBATIM_GROUP_SIZE,
        validators=[MinValueValidator(MIN_VERBATIM_GROUP_SIZE)])
    #: An open survey may also be answered through one shared link (no invitation).
    open_link = models.BooleanField(_("open link"), default=False)
    open_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # Ticket feedback rules (transactional surveys only).
    sample_percent = models.PositiveSmallIntegerField(_("tickets surveyed (%)"), default=100)
    send_delay_minutes = models.PositiveIntegerField(_("delay after closure (minutes)"),
                                                     default=0)
    fatigue_days = models.PositiveSmallIntegerField(
        _("at most one ticket survey per person every (days)"), default=7)
    #: The languages the survey is written in, in its order (ISO 639-1 codes, e.g.
    #: ``["de", "fr", "en"]``): French and English texts live in the ``*_fr``/``*_en``
    #: columns, the others in ``translations`` (see :mod:`phare.listening.languages`).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    #: The texts in languages other than French and English:
    #: ``{"de": {"title": …, "intro": …, "thanks": …}}``.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    #: Where an imported survey came from ("limesurvey:969249", "qualtrics:SV_…").
    source = models.CharField(_("source"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def intro(self) -> str:
        return in_language(self, "intro")

    @property
    def thanks(self) -> str:
        return in_language(self, "thanks")

    @property
    def is_anonymous(self) -> bool:
        return self.anonymity == self.Anonymity.ANONYMOUS

    def current_version(self) -> SurveyVersion:
        """The newest version: the one new answers are collected with.

        There is always one: a survey is created with its first version
        (``services.surveys.survey_create``), and versions are never deleted alone."""
        return cast(SurveyVersion, self.versions.order_by("-number").first())


class SurveyVersion(models.Model):
    """The questions of a survey at one time; frozen once anything was answered with it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"],
                                               name="listening_version_unique")]

    def __str__(self) -> str:
        return f"{self.survey.slug} v{self.number}"

    @property
    def frozen(self) -> bool:
        """Answers (or drafts) refer to these exact questions: they may no longer change."""
        return self.responses.exists() or self.invitations.exclude(draft={}).exists()


class Section(models.Model):
    """A page of the questionnaire."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    #: The title in languages other than French and English: ``{"de": {"title": …}}``.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.title or f"#{self.position}"

    @property
    def title(self) -> str:
        return in_language(self, "title")


class Question(models.Model):
    """One question; ``code`` stays the same across versions so that waves compare.

    ``options`` lists ``{"code", "label_fr", "label_en"}``: the choices of a single or multiple
    choice, the attributes of an importance × satisfaction grid, the rows of a rating matrix;
    ``columns`` (same shape) the columns of a rating matrix or an array; ``settings`` the
    parameters of the kinds of :mod:`phare.listening.question_kinds`. ``condition`` shows the
    question only when an earlier answer matches (see :mod:`phare.listening.questions`).
    """

    class Type(models.TextChoices):
        NPS = "nps", _("Net Promoter Score (0–10)")
        CSAT = "csat", _("Satisfaction (1–5)")
        CES = "ces", _("Effort (1–7 agreement)")
        SCALE = "scale", _("Rating scale")
        GRID = "grid", _("Importance × satisfaction grid")
        MATRIX = "matrix", _("Rating matrix")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")
        NUMERIC = "numeric", _("Number")
        MULTINUM = "multinum", _("Several numbers")
        CONSTSUM = "constsum", _("Constant sum")
        SLIDER = "slider", _("Slider")
        DATE = "date", _("Date or date and time")
        RANKING = "ranking", _("Ranking")
        NUMARRAY = "numarray", _("Table of numbers")
        TEXTARRAY = "textarray", _("Table of texts")
        DUALSCALE = "dualscale", _("Rows rated on several scales")
        #: Only ever imported: the files are not kept, their number is.
        UPLOAD = "upload", _("File upload (not imported)")

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE,
                                related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=64)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    text_fr = models.TextField(_("question (French)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    help_fr = models.CharField(_("help (French)"), max_length=300, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    scale_min = models.SmallIntegerField(_("lowest value"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("highest value"), null=True, blank=True)
    label_min_fr = models.CharField(_("lowest label (French)"), max_length=80, blank=True)
    label_min_en = models.CharField(_("lowest label (English)"), max_length=80, blank=True)
    label_max_fr = models.CharField(_("highest label (French)"), max_length=80, blank=True)
    label_max_en = models.CharField(_("highest label (English)"), max_length=80, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    allow_other = models.BooleanField(_("allow “other”"), default=False)
    condition = models.JSONField(_("display condition"), null=True, blank=True)
    #: The parameters of the kinds in :mod:`phare.listening.question_kinds` (bounds,
    #: decimals, total, step, ranks, scales…); empty for the others.
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    #: The texts in languages other than French and English: ``{"de": {"text", "help",
    #: "label_min", "label_max", "options": {code: label}, "columns": {code: label},
    #: "scales": {code: label}, "choices": {scale code: {code: label}}}}``.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["version", "section__position", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"],
                                               name="listening_question_code_unique")]

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        return in_language(self, "text")

    @property
    def help(self) -> str:
        return in_language(self, "help")


class Wave(models.Model):
    """One round of collection: a barometer wave, a pulse, a service survey's campaign."""

    class Status(models.TextChoices):
        # "Planifiée": a wave is feminine in French (needs say "Planifié").
        PLANNED = "planned", pgettext_lazy("wave", "Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="waves")
    number = models.PositiveSmallIntegerField(_("wave"))
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True, default="")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.PLANNED)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    #: Who is invited: ``{"units": [...], "sites": [...], "job_families": [...],
    #: "sample": N | null, "stratify_by": "business_unit" | "site" | "job_family" | null}``.
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    #: Days after the invitation when non-respondents are reminded, e.g. ``[7, 14]``.
    reminder_days = models.JSONField(_("reminders (days after invitation)"), default=list,
                                     blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"],
                                               name="listening_wave_unique")]

    def __str__(self) -> str:
        return f"{self.survey.slug} — {self.name}"

    #: The name in the reader's language (French when it has no English name).
    name = bilingual("name")


class Invitation(models.Model):
    """A person's unique link to one survey (and wave; a ticket holds its own, if any)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT,
                                related_name="invitations")
    wave = models.ForeignKey(Wave, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="invitations")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="invitations")
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=2, default="fr")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # Segment labels copied at invitation time: all an anonymous response will ever know.
    unit_code = models.CharField(_("business unit"), max_length=40, blank=True)
    site_code = models.CharField(_("site"), max_length=40, blank=True)
    job_family_code = models.CharField(_("job family"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    #: Answered: only the day, so that it cannot be matched to an anonymous response's time.
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    #: Answers saved as the respondent goes; emptied when the response is submitted.
    draft = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["survey", "id"]
        constraints = [models.UniqueConstraint(
            fields=["wave", "person"], condition=models.Q(wave__isnull=False),
            name="listening_one_invitation_per_wave")]
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"{self.survey.slug} → {self.email or self.person_id}"

    @property
    def responded(self) -> bool:
        return self.responded_on is not None


class Response(models.Model):
    """A submitted questionnaire, with the exact version it answered.

    ``answers`` maps question codes to values (see :mod:`phare.listening.questions`).
    """

    class Channel(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        OPEN_LINK = "open_link", _("Open link")
        TICKET = "ticket", _("Ticket email")
        IMPORT = "import", _("Import")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT,
                                related_name="responses")
    wave = models.ForeignKey(Wave, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="responses")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    #: The client's idempotency key: the same submission never makes a second response.
    submission_id = models.UUIDField(null=True, blank=True, unique=True)
    # Links to a person: only for confidential and named surveys.
    respondent = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="responses")
    invitation = models.OneToOneField(Invitation, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="response")
    language = models.CharField(_("language"), max_length=2, default="fr")
    unit_code = models.CharField(_("business unit"), max_length=40, blank=True)
    site_code = models.CharField(_("site"), max_length=40, blank=True)
    job_family_code = models.CharField(_("job family"), max_length=40, blank=True)
    submitted_on = models.DateField(_("answered on"))
    #: The exact time, kept only when the survey is not anonymous.
    submitted_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    #: The respondent's identifier in the tool it was imported from (never for anonymous ones).
    source_id = models.CharField(max_length=80, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    #: Raised by one each time the answers are amended (ticket follow-ups): analytical
    #: snapshots compare it to know what changed, without any finer timestamp.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["submitted_on"]
        indexes = [models.Index(fields=["survey", "wave"]),
                   models.Index(fields=["survey", "submitted_on"])]

    def __str__(self) -> str:
        return f"{self.survey.slug} {self.submitted_on}"


class OptOut(models.Model):
    """A person who asked not to receive survey invitations any more."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="survey_opt_out")
    created_at = models.DateTimeField(_("opted out"), auto_now_add=True)

    def __str__(self) -> str:
        return str(self.person)
