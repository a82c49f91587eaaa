"""Whether a survey takes answers, and with which version and wave an open link collects
them; the languages a respondent may answer in."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from phare.listening.models import Survey, SurveyVersion, Wave

#: The languages a respondent may answer in.
LANGUAGES = ("fr", "en")

OPEN, CLOSED, NOT_OPEN = "open", "closed", "not_open"


def availability(survey: Survey, wave: Wave | None = None) -> str:
    """``open``, ``closed`` (it was, and is no more) or ``not_open`` (not yet)."""
    if survey.status == Survey.Status.CLOSED or (wave is not None
                                                 and wave.status == Wave.Status.CLOSED):
        return CLOSED
    if survey.status != Survey.Status.OPEN or (wave is not None
                                               and wave.status != Wave.Status.OPEN):
        return NOT_OPEN
    return OPEN


def open_link_target(survey: Survey) -> tuple[SurveyVersion, Wave | None]:
    """The version an open link collects with, and its wave when exactly one wave is open."""
    waves = list(survey.waves.filter(status=Wave.Status.OPEN).select_related("version")[:2])
    if len(waves) == 1:
        return waves[0].version, waves[0]
    return survey.current_version(), None


@dataclass(frozen=True)
class OpenLink:
    """What a submission through an open link needs: the survey, and the version (and wave)
    it collects with, as :func:`open_link_target` says."""

    survey: Survey
    version: SurveyVersion
    wave: Wave | None


def open_link(open_token: str) -> OpenLink | None:
    """:func:`open_link_target` with the survey, from the link's token, in one query (two when
    exactly one wave is open): the survey's newest version with its survey and the ids of its
    first two open waves."""
    open_waves = Wave.objects.filter(survey=OuterRef("survey_id"),
                                     status=Wave.Status.OPEN).order_by("pk").values("pk")
    newest = (SurveyVersion.objects.select_related("survey")
              .filter(survey__open_token=open_token, survey__open_link=True)
              .annotate(open_wave=Subquery(open_waves[:1]),
                        other_open_wave=Subquery(open_waves[1:2]))
              .order_by("-number").first())
    if newest is None:
        return None
    if newest.open_wave is None or newest.other_open_wave is not None:
        return OpenLink(survey=newest.survey, version=newest, wave=None)
    wave = Wave.objects.select_related("version").get(pk=newest.open_wave)
    return OpenLink(survey=newest.survey, version=wave.version, wave=wave)
