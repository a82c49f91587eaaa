"""A closed IT ticket and what Phare decided about surveying its requester.

The ticket holds the link to its invitation (listening knows nothing of tickets): the answer is
the invitation's response, so ``invitation.ticket`` and ``Response.objects.filter(
invitation__ticket__service=…)`` read it from the survey side.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phare.catalog.models import Service
from phare.directory.models import Person
from phare.listening.models import Invitation


class Ticket(models.Model):
    """A closed IT ticket reported by the ITSM, and what Phare decided about surveying it."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Chat")
        WALK_IN = "walk_in", _("Walk-in")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for the delay after closure")
        INVITED = "invited", _("Invited")
        NOT_SAMPLED = "not_sampled", _("Not in the sample")
        FATIGUE = "fatigue", _("Surveyed recently")
        OPTED_OUT = "opted_out", _("Opted out")
        #: A quiet period held the requester back until after the ticket's rating window.
        QUIET_PERIOD = "quiet_period", _("Quiet period")
        CONTACT_CAP = "contact_cap", _("Contact limit reached")
        NO_REQUESTER = "no_requester", _("Requester unknown")
        NO_SURVEY = "no_survey", _("No open ticket survey")

    external_id = models.CharField(_("ticket"), max_length=80, unique=True)
    service = models.ForeignKey(Service, verbose_name=_("catalogue service"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="tickets")
    #: The requester's own words for it, as the ITSM keeps them ("short description").
    subject = models.CharField(_("subject"), max_length=200, blank=True, default="")
    #: The ITSM's name for the business service or configuration item, as the export wrote
    #: it; with no ``service``, a label to map to the catalogue (see ``ServiceAlias``).
    service_label = models.CharField(_("service in the ITSM"), max_length=200, blank=True,
                                     default="")
    category = models.CharField(_("category"), max_length=120, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    opened_at = models.DateTimeField(_("opened"))
    resolved_at = models.DateTimeField(_("resolved"))
    assignment_group = models.CharField(_("assignment group"), max_length=120, blank=True)
    reassignment_count = models.PositiveSmallIntegerField(_("reassignments"), default=0)
    requester = models.ForeignKey(Person, verbose_name=_("requester"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="tickets")
    requester_email = models.EmailField(_("requester email"), blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    decision = models.CharField(_("survey decision"), max_length=12, choices=Decision.choices,
                                default=Decision.PENDING)
    #: When the invitation may be sent (resolution + the survey's delay).
    send_after = models.DateTimeField(_("send after"), null=True, blank=True)
    #: The survey invitation sent for it; its response is the rating. Deleting the invitation
    #: (with its survey) keeps the ticket.
    invitation = models.OneToOneField(Invitation, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="ticket")

    class Meta:
        ordering = ["-resolved_at"]
        indexes = [models.Index(fields=["decision", "send_after"])]

    def __str__(self) -> str:
        return self.external_id


class ServiceAlias(models.Model):
    """An ITSM's name for a catalogue service, read as that service in every ticket import."""

    #: The label as first mapped; ``key`` is its normalised form, compared on import.
    label = models.CharField(_("label in the ITSM"), max_length=200)
    key = models.CharField(max_length=200, unique=True)
    service = models.ForeignKey(Service, verbose_name=_("catalogue service"),
                                on_delete=models.CASCADE, related_name="ticket_aliases")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.label


class TicketMapping(models.Model):
    """The columns a person chose for an export's header shape, used for the next file of
    the same shape."""

    class DateOrder(models.TextChoices):
        DMY = "dmy", _("Day first (31/12/2025)")
        MDY = "mdy", _("Month first (12/31/2025)")

    signature = models.CharField(max_length=64, unique=True)
    system = models.CharField(_("system"), max_length=20)
    #: Phare's field → the column's name in the file.
    columns = models.JSONField(_("columns"), default=dict)
    date_order = models.CharField(_("date order"), max_length=3, choices=DateOrder.choices,
                                  blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.system} {self.signature[:8]}"


class TicketUpload(models.Model):
    """An export uploaded from the web, kept between the mapping step and its import."""

    file = models.FileField(upload_to="tickets/uploads/%Y/%m")
    name = models.CharField(max_length=200)
    system = models.CharField(max_length=20, default="auto")
    strict = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
