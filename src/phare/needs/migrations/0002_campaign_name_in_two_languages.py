"""An arbitration campaign's name in French and English: the existing name becomes the French
one."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('needs', '0001_initial'),
    ]

    operations = [
        migrations.RenameField(model_name='campaign', old_name='name', new_name='name_fr'),
        migrations.AlterField(
            model_name='campaign',
            name='name_fr',
            field=models.CharField(max_length=200, verbose_name='name (French)'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='name_en',
            field=models.CharField(blank=True, default='', max_length=200,
                                   verbose_name='name (English)'),
        ),
    ]
