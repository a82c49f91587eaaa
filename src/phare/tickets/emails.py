"""The ticket survey's invitation email: text and HTML, eleven score links, in the
invitation's language (sent by :func:`phare.tickets.services.send_due_ticket_invitations`)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from phare.lib import mail
from phare.lib.i18n import in_language
from phare.listening import links
from phare.listening.models import Invitation
from phare.tickets import queries
from phare.tickets.questionnaire import band_of

#: Inline colours of the email's scale, by band: background, text (contrast ≥ 4.5:1).
BAND_COLOURS = {"low": ("#b71c1c", "#ffffff"), "mid": ("#f2b01e", "#1d2430"),
                "high": ("#1b5e20", "#ffffff")}


def opt_out_url(invitation: Invitation) -> str:
    """The link that stops every survey email to this person (listening's opt-out page)."""
    return links.absolute("answer:opt_out", invitation.token)


def ticket_invitation_message(invitation: Invitation) -> mail.Message:
    """The invitation email, in the invitation's language: text and HTML, 11 score links."""
    ticket = invitation.ticket
    with translation.override(invitation.language):
        question = queries.rating_question(invitation.version)
        scores = [{"score": n, "url": links.absolute("tickets:rate", invitation.token, n),
                   "background": BAND_COLOURS[band_of(n)][0],
                   "colour": BAND_COLOURS[band_of(n)][1]} for n in range(11)]
        unsubscribe = opt_out_url(invitation)
        context = {
            "ticket": ticket, "survey": invitation.survey, "person": invitation.person,
            "service": ticket.service.name if ticket.service else "",
            "question": question.text if question else "",
            "label_min": in_language(question, "label_min") if question else "",
            "label_max": in_language(question, "label_max") if question else "",
            "scores": scores, "opt_out_url": unsubscribe,
            "language": invitation.language,
        }
        subject = _("Your request %(ticket)s: what did you think?") % {
            "ticket": ticket.external_id}
        text = render_to_string("tickets/email.txt", context)
        html = render_to_string("tickets/email.html", context)
    # lib/mail adds Auto-Submitted, Content-Language and the one-click unsubscribe headers.
    return mail.Message(to=invitation.email, subject=subject, text=text, html=html,
                        kind="ticket_invitation", language=invitation.language,
                        reference=str(invitation.pk), unsubscribe=unsubscribe)
