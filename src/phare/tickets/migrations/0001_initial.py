"""Ticket moves from listening to its own app (issue 10), keeping its table and rows.

The model enters this app's state only (its table ``listening_ticket`` is already there), then
gets the column that will hold its invitation: the link is inverted, listening's
``Invitation.ticket`` and ``Response.ticket`` columns are copied into it by 0002 and dropped by
``listening.0002``; 0003 renames the table.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalog', '0002_search'),
        ('directory', '0001_initial'),
        ('listening', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Ticket',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('external_id', models.CharField(max_length=80, unique=True, verbose_name='ticket')),
                        ('category', models.CharField(blank=True, max_length=120, verbose_name='category')),
                        ('channel', models.CharField(blank=True, choices=[('portal', 'Portal'), ('phone', 'Phone'), ('email', 'Email'), ('chat', 'Chat'), ('walk_in', 'Walk-in')], max_length=10, verbose_name='channel')),
                        ('opened_at', models.DateTimeField(verbose_name='opened')),
                        ('resolved_at', models.DateTimeField(verbose_name='resolved')),
                        ('assignment_group', models.CharField(blank=True, max_length=120, verbose_name='assignment group')),
                        ('reassignment_count', models.PositiveSmallIntegerField(default=0, verbose_name='reassignments')),
                        ('requester_email', models.EmailField(blank=True, max_length=254, verbose_name='requester email')),
                        ('received_at', models.DateTimeField(auto_now_add=True, verbose_name='received')),
                        ('decision', models.CharField(choices=[('pending', 'Waiting for the delay after closure'), ('invited', 'Invited'), ('not_sampled', 'Not in the sample'), ('fatigue', 'Surveyed recently'), ('opted_out', 'Opted out'), ('contact_cap', 'Contact limit reached'), ('no_requester', 'Requester unknown'), ('no_survey', 'No open ticket survey')], default='pending', max_length=12, verbose_name='survey decision')),
                        ('send_after', models.DateTimeField(blank=True, null=True, verbose_name='send after')),
                        ('requester', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tickets', to='directory.person', verbose_name='requester')),
                        ('service', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tickets', to='catalog.service', verbose_name='catalogue service')),
                    ],
                    options={
                        'ordering': ['-resolved_at'],
                        'db_table': 'listening_ticket',
                        'indexes': [models.Index(fields=['decision', 'send_after'], name='listening_t_decisio_d77312_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name='ticket',
            name='invitation',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='ticket', to='listening.invitation'),
        ),
    ]
