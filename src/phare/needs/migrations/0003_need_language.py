"""The language a need is written in: needs written before are taken as written in their
submitter's language (French when there is none)."""

from django.db import migrations, models


def submitters_language(apps, schema_editor):
    Need = apps.get_model("needs", "Need")
    Need.objects.filter(submitter__language="en").update(language="en")


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0001_initial'),
        ('needs', '0002_campaign_name_in_two_languages'),
    ]

    operations = [
        migrations.AddField(
            model_name='need',
            name='language',
            field=models.CharField(choices=[('fr', 'Français'), ('en', 'English')],
                                   default='fr', max_length=2, verbose_name='written in'),
        ),
        migrations.RunPython(submitters_language, migrations.RunPython.noop),
    ]
