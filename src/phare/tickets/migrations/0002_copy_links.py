"""Copies listening's links to tickets into the ticket's own column, before listening drops
them (``listening.0002``), and renames the ticket import jobs' kind.

Every response to a ticket was made through the ticket's invitation (``Response.ticket`` was set
from ``invitation.ticket``, never otherwise), so the ticket's invitation leads to its response:
copying ``Invitation.ticket`` keeps both links.
"""

from django.db import migrations

OLD_KIND, NEW_KIND = "listening.tickets_import", "tickets.import"


def forwards(apps, schema_editor) -> None:
    Invitation = apps.get_model("listening", "Invitation")
    Ticket = apps.get_model("tickets", "Ticket")
    pairs = list(Invitation.objects.filter(ticket__isnull=False).values_list("ticket_id", "pk"))
    for start in range(0, len(pairs), 2000):
        chunk = dict(pairs[start:start + 2000])
        tickets = list(Ticket.objects.filter(pk__in=chunk))
        for ticket in tickets:
            ticket.invitation_id = chunk[ticket.pk]
        Ticket.objects.bulk_update(tickets, ["invitation"], batch_size=500)
    Job = apps.get_model("jobs", "Job")
    Job.objects.filter(kind=OLD_KIND).update(kind=NEW_KIND)


def backwards(apps, schema_editor) -> None:
    Invitation = apps.get_model("listening", "Invitation")
    Response = apps.get_model("listening", "Response")
    Ticket = apps.get_model("tickets", "Ticket")
    for ticket_id, invitation_id in (Ticket.objects.filter(invitation__isnull=False)
                                     .values_list("pk", "invitation_id").iterator()):
        Invitation.objects.filter(pk=invitation_id).update(ticket_id=ticket_id)
        Response.objects.filter(invitation_id=invitation_id).update(ticket_id=ticket_id)
    Job = apps.get_model("jobs", "Job")
    Job.objects.filter(kind=NEW_KIND).update(kind=OLD_KIND)


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0001_initial'),
        ('listening', '0001_initial'),
        ('tickets', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
