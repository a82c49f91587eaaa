"""Every language a survey has: ``Survey.languages`` and the ``translations`` of surveys,
sections and questions (languages other than French and English)."""

from django.db import migrations, models


def fill_languages(apps, schema_editor):
    """Existing surveys are written in French, and in English when any English text is given."""
    Survey = apps.get_model("listening", "Survey")
    Question = apps.get_model("listening", "Question")
    for survey in Survey.objects.all().iterator():
        english = any((survey.title_en, survey.intro_en, survey.thanks_en)) or \
            Question.objects.filter(version__survey=survey).exclude(text_en="").exists()
        survey.languages = ["fr", "en"] if english else ["fr"]
        survey.save(update_fields=["languages"])


class Migration(migrations.Migration):

    dependencies = [
        ('listening', '0005_question_kinds_and_settings'),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='translations',
            field=models.JSONField(blank=True, default=dict, verbose_name='translations'),
        ),
        migrations.AddField(
            model_name='section',
            name='translations',
            field=models.JSONField(blank=True, default=dict, verbose_name='translations'),
        ),
        migrations.AddField(
            model_name='survey',
            name='languages',
            field=models.JSONField(blank=True, default=list, verbose_name='languages'),
        ),
        migrations.AddField(
            model_name='survey',
            name='translations',
            field=models.JSONField(blank=True, default=dict, verbose_name='translations'),
        ),
        migrations.RunPython(fill_languages, migrations.RunPython.noop),
    ]
