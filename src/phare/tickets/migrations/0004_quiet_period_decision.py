"""A ticket's survey decision may be ``quiet_period``: a quiet period held its requester back
until after the ticket's rating window."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0003_ticket_table'),
    ]

    operations = [
        migrations.AlterField(
            model_name='ticket',
            name='decision',
            field=models.CharField(choices=[('pending', 'Waiting for the delay after closure'), ('invited', 'Invited'), ('not_sampled', 'Not in the sample'), ('fatigue', 'Surveyed recently'), ('opted_out', 'Opted out'), ('quiet_period', 'Quiet period'), ('contact_cap', 'Contact limit reached'), ('no_requester', 'Requester unknown'), ('no_survey', 'No open ticket survey')], default='pending', max_length=12, verbose_name='survey decision'),
        ),
    ]
