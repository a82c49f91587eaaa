"""Ticket moves to the tickets app (issue 10): the links to it leave listening's tables.

``tickets.0002`` copied ``Invitation.ticket`` into ``Ticket.invitation`` (the response is the
invitation's); the two columns go, and the model leaves listening's state (its table stays, for
the tickets app, which renames it).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('listening', '0001_initial'),
        ('tickets', '0002_copy_links'),
    ]

    operations = [
        migrations.RemoveField(model_name='invitation', name='ticket'),
        migrations.RemoveField(model_name='response', name='ticket'),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Ticket')],
            database_operations=[],
        ),
    ]
