"""A wave's name in French and English: the existing name becomes the French one."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('listening', '0003_study_and_matrix'),
    ]

    operations = [
        migrations.RenameField(model_name='wave', old_name='name', new_name='name_fr'),
        migrations.AlterField(
            model_name='wave',
            name='name_fr',
            field=models.CharField(max_length=120, verbose_name='name (French)'),
        ),
        migrations.AddField(
            model_name='wave',
            name='name_en',
            field=models.CharField(blank=True, default='', max_length=120,
                                   verbose_name='name (English)'),
        ),
    ]
