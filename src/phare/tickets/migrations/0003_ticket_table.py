"""The ticket table takes this app's name, once listening no longer refers to it."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('listening', '0002_ticket_moves_out'),
        ('tickets', '0002_copy_links'),
    ]

    operations = [
        migrations.AlterModelTable(name='ticket', table=None),
        migrations.RenameIndex(model_name='ticket', new_name='tickets_tic_decisio_c62b76_idx',
                               old_name='listening_t_decisio_d77312_idx'),
    ]
