"""Objectives measured live: each objective's figure read from the module that already
computes and releases it, and where it stands against its target.

Nothing here computes a figure about people: each comes, released, from its own module —
the barometer's NPS and attributes from :func:`phare.insights.dashboards.barometer`, ticket
happiness from :func:`phare.insights.dashboards.tickets` (both cached per state of the store),
adoption from :func:`phare.usage.queries.adoption` (cached by :mod:`phare.usage.memo`), a
wave's response rate from :func:`phare.listening.queries.survey_wave_rates`. A figure those
modules suppress is shown as "not enough answers to show" (``Live.suppressed``), never as a
number, and no count of its group is given.

The figures, by :class:`~phare.comms.models.Objective.Metric`:

- ``nps`` (``survey``, ``units``?): the NPS of the latest barometer wave whose figures are
  released for the units (a unit covers its sub-units, as on the barometer page), and the
  previous wave's when that one is released too;
- ``satisfaction`` (``survey``, ``question``, ``option``, ``units``?): the attribute's mean
  satisfaction on the grid's scale in that wave — the barometer's "importance and
  satisfaction" figure (the page gives a mean, not a share satisfied);
- ``ticket_happiness`` (``service``?): the ticket experience's happiness — the NPS formula on
  the 0–10 ratings, in points — over the last three whole months, and the three before;
- ``adoption`` (``service``, ``units``?): the share of the service's audience active in the
  last released month; for several units, their released cells added up (each must be
  shown; a unit inside another listed one counts once);
- ``response_rate`` (``wave``): answered ÷ sent (live while the wave runs: participation is
  not an answer), and the survey's previous wave's;
- ``needs_answered`` (``campaign``?): the share of needs that got an answer — see
  :func:`answered_needs`. Needs are named submissions whose statuses the needs pages show, so
  no disclosure rule applies; the needs app has no such figure yet, so it is counted here.

Status (:func:`status`): ``reached`` when the figure meets its target; otherwise
``on_track`` when it stands on or above the straight line from the baseline at the plan's
start to the target on the due day (the objective's, else the plan's end), judged at the date
of the data — a wave of June is compared with where the line stood in June — and
``at_risk`` below it. Without a baseline, an objective is ``on_track`` until its due day and
``at_risk`` after it unreached; without a target, ``no_target``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from phare.analysis import adoption as A
from phare.analysis import disclosure
from phare.catalog.access import unit_parents
from phare.catalog.models import Service
from phare.comms.models import Objective
from phare.directory.models import BusinessUnit
from phare.insights import dashboards
from phare.insights.barometer import Barometer, Filters, WaveFigures
from phare.insights.queries import unit_and_descendants
from phare.insights.tickets import TicketFilters
from phare.lib.metrics import format_number, format_value
from phare.listening import queries as listening
from phare.listening.models import Question, Survey, Wave
from phare.listening.questions import option_label, scale_of
from phare.needs.models import Campaign
from phare.needs.queries import answered_needs
from phare.usage import queries as usage

Metric = Objective.Metric

NOT_MEASURED = "not_measured"
NO_DATA = "no_data"
NO_TARGET = "no_target"
REACHED = "reached"
ON_TRACK = "on_track"
AT_RISK = "at_risk"

STATUSES = {
    NOT_MEASURED: gettext_lazy("Not measured by Phare"),
    NO_DATA: gettext_lazy("No figure yet"),
    NO_TARGET: gettext_lazy("No target set"),
    REACHED: gettext_lazy("Reached"),
    ON_TRACK: gettext_lazy("On track"),
    AT_RISK: gettext_lazy("At risk"),
}

#: What each figure is counted in: NPS points, a percentage, or a mean on a question's scale.
UNITS: dict[str, str] = {Metric.NONE: "", Metric.NPS: "points", Metric.SATISFACTION: "score",
         Metric.TICKET_HAPPINESS: "points", Metric.ADOPTION: "%", Metric.RESPONSE_RATE: "%",
         Metric.NEEDS_ANSWERED: "%"}
#: Figures where lower is better (reached when at or under the target): none yet.
LOWER_IS_BETTER: frozenset[str] = frozenset()
#: Ticket happiness is read over this many whole months.
TICKET_MONTHS = 3

#: Each metric's parameters: the required ones, then the optional ones.
PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Metric.NONE: ((), ()),
    Metric.NPS: (("survey",), ("units",)),
    Metric.SATISFACTION: (("survey", "question", "option"), ("units",)),
    Metric.TICKET_HAPPINESS: ((), ("service",)),
    Metric.ADOPTION: (("service",), ("units",)),
    Metric.RESPONSE_RATE: (("wave",), ()),
    Metric.NEEDS_ANSWERED: ((), ("campaign",)),
}

class ParamsInvalid(ValidationError):
    """An objective's figure parameters that do not name what the figure needs: a Django
    ``ValidationError`` by field (``survey``, ``units``…; ``metric``, ``params``), with
    ``details`` as ``[(field, reason)]`` for the API."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__({field: [ValidationError(message, code="invalid")]
                          for field, message in errors.items()})
        self.details: list[tuple[str, str]] = list(errors.items())


#: The objectives' metrics that are the registry's (:mod:`phare.lib.metrics`), by key.
REGISTERED = {"nps": "nps", "ticket_happiness": "ticket_happiness", "adoption": "adoption",
              "response_rate": "response_rate", "needs_answered": "needs_answered"}


@dataclass(frozen=True)
class Live:
    """An objective's figure as of now, and where it stands."""

    metric: str
    #: What the figure is, with what it is of ("NPS of Baromètre 2026 in Ventes").
    label: str
    status: str
    #: The released figure, in ``unit``; None when there is none or it is suppressed.
    value: float | None
    #: ``points`` (NPS, ticket happiness), ``%``, ``score`` (a mean on ``scale``), or "".
    unit: str
    #: How many answers, ratings, people or needs the figure is computed on (released only).
    n: int | None
    #: The date of the data (a wave's closing day, a month's last day, today for live ones).
    as_of: dt.date | None
    #: The same figure one period before (the previous wave, month or three months).
    previous: float | None
    baseline: float | None
    target: float | None
    #: The objective's due day, else the plan's last day.
    due_on: dt.date | None
    #: Where the straight line from baseline to target stood on ``as_of``.
    expected: float | None = None
    #: A figure exists but its group is too small to show: "not enough answers to show".
    suppressed: bool = False
    #: The scale of a ``score`` (the grid's, e.g. 1–5).
    scale: tuple[int, int] | None = None
    #: Why the figure cannot be read (what it names no longer exists…), in the active language.
    problem: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def note(self) -> str:
        """What to say in place of a figure that is not there, in the active language."""
        if self.suppressed:
            return _("Not enough answers to show.")
        if self.problem:
            return self.problem
        if self.status == NO_DATA:
            return _("No figure released yet.")
        return ""

    def written(self, value: float | None, *, signed: bool = False) -> str:
        """``value`` of this objective's metric as the metrics registry writes it ("−17,9",
        "36,3 %"), one decimal at most; a mean on a scale as a plain number."""
        key = REGISTERED.get(self.metric)
        if key is None or value is None:
            return format_number(value, 1, signed=signed)
        whole = abs(value - round(value)) < 0.05
        return format_value(key, value, signed=signed, decimals=0 if whole else 1)

    @property
    def value_text(self) -> str:
        return self.written(self.value)

    @property
    def target_text(self) -> str:
        return self.written(self.target)

    @property
    def baseline_text(self) -> str:
        return self.written(self.baseline)

    @property
    def change_text(self) -> str:
        return self.written(self.change, signed=True)

    @property
    def change(self) -> float | None:
        """The change since the previous period (both released)."""
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 2)


@dataclass(frozen=True)
class Figure:
    """What a metric's reader returns (an empty one: no data)."""

    value: float | None = None
    n: int | None = None
    as_of: dt.date | None = None
    previous: float | None = None
    suppressed: bool = False
    scale: tuple[int, int] | None = None


# -- parameters ---------------------------------------------------------------------------------

def check_params(metric: str, params: Any) -> dict[str, Any]:
    """``params`` checked for ``metric`` and normalised (slugs stripped, unit codes unique and
    sorted, ids as integers, empty optional values dropped); raises :class:`ParamsInvalid`
    naming each field that is missing, unknown or names nothing."""
    if metric not in PARAMS:
        raise ParamsInvalid({"metric": _("Choose one of the figures offered.")})
    if not isinstance(params, Mapping):
        raise ParamsInvalid({"params": _("Give the figure's parameters as an object.")})
    required, optional = PARAMS[metric]
    errors: dict[str, str] = {}
    for key in params:
        if key not in required + optional:
            errors[str(key)] = _("This figure takes no “%(key)s”.") % {"key": key}
    given = {key: value for key, value in params.items()
             if key in required + optional and value not in (None, "", [])}
    for key in required:
        if key not in given:
            errors[key] = _("This figure needs it.")
    clean: dict[str, Any] = {}
    for key, value in given.items():
        try:
            clean[key] = _CHECKS[key](value)
        except ValueError as exc:
            errors[key] = str(exc)
    if metric == Metric.NPS or metric == Metric.SATISFACTION:
        _check_barometer(clean, errors)
    if metric == Metric.SATISFACTION:
        _check_attribute(clean, errors)
    if errors:
        raise ParamsInvalid(errors)
    return clean


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("Give an identifier as text."))
    return value.strip()


def _identifier(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(_("Give a number."))
    try:
        number = int(value)
    except ValueError:
        raise ValueError(_("Give a number.")) from None
    if number <= 0:
        raise ValueError(_("Give a number."))
    return number


def _survey(value: Any) -> str:
    slug = _text(value)
    if not Survey.objects.filter(slug=slug).exists():
        raise ValueError(_("No survey is named “%(slug)s”.") % {"slug": slug})
    return slug


def _service(value: Any) -> str:
    slug = _text(value)
    if not Service.objects.filter(slug=slug).exists():
        raise ValueError(_("No catalogue service is named “%(slug)s”.") % {"slug": slug})
    return slug


def _units(value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(_("Give a list of business unit codes."))
    codes = sorted({v.strip() for v in value if v.strip()})
    known = set(BusinessUnit.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValueError(_("Unknown business units: %(codes)s.") % {"codes": ", ".join(unknown)})
    return codes


def _wave(value: Any) -> int:
    pk = _identifier(value)
    if not Wave.objects.filter(pk=pk).exists():
        raise ValueError(_("No survey wave has the number %(id)s.") % {"id": pk})
    return pk


def _campaign(value: Any) -> int:
    pk = _identifier(value)
    if not Campaign.objects.filter(pk=pk).exists():
        raise ValueError(_("No arbitration campaign has the number %(id)s.") % {"id": pk})
    return pk


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "survey": _survey, "question": _text, "option": _text, "service": _service,
    "units": _units, "wave": _wave, "campaign": _campaign}


def _check_barometer(clean: dict[str, Any], errors: dict[str, str]) -> None:
    if "survey" in clean and not Survey.objects.filter(
            slug=clean["survey"], kind=Survey.Kind.BAROMETER).exists():
        errors["survey"] = _("“%(slug)s” is not a barometer.") % {"slug": clean["survey"]}


def barometer_grid(survey: Survey) -> Question | None:
    """The grid whose attributes the barometer page shows: its first (in the questionnaire's
    order, as :mod:`phare.insights.barometer` reads it)."""
    version = survey.current_version()
    if version is None:
        return None
    return (version.questions.filter(type="grid")
            .order_by("section__position", "position").first())


def _check_attribute(clean: dict[str, Any], errors: dict[str, str]) -> None:
    survey = Survey.objects.filter(slug=clean.get("survey", "")).first()
    if survey is None or "survey" in errors:
        return
    grid = barometer_grid(survey)
    if "question" in clean and (grid is None or grid.code != clean["question"]):
        errors["question"] = (
            _("The barometer shows the attributes of its grid “%(code)s” only.")
            % {"code": grid.code} if grid is not None
            else _("This barometer has no grid of attributes."))
        return
    if grid is not None and "option" in clean and clean["option"] not in {
            str(option.get("code")) for option in grid.options or []}:
        errors["option"] = _("The grid has no attribute “%(code)s”.") % {"code": clean["option"]}


# -- labels -------------------------------------------------------------------------------------

def describe(metric: str, params: Mapping[str, Any]) -> str:
    """The figure in words, in the active language, naming what it is of."""
    survey = Survey.objects.filter(slug=params.get("survey") or "").first()
    survey_name = survey.title if survey else str(params.get("survey", ""))
    service = Service.objects.filter(slug=params.get("service") or "").first()
    service_name = service.name if service else str(params.get("service", ""))
    units = _unit_names(params.get("units") or [])
    if metric == Metric.NPS:
        if units:
            return _("NPS of %(survey)s in %(units)s") % {"survey": survey_name, "units": units}
        return _("NPS of %(survey)s") % {"survey": survey_name}
    if metric == Metric.SATISFACTION:
        names = {"survey": survey_name, "attribute": _attribute_name(survey, params),
                 "units": units}
        if units:
            return _("Satisfaction with %(attribute)s (%(survey)s) in %(units)s") % names
        return _("Satisfaction with %(attribute)s (%(survey)s)") % names
    if metric == Metric.TICKET_HAPPINESS:
        if params.get("service"):
            return _("Ticket happiness for %(service)s") % {"service": service_name}
        return _("Ticket happiness")
    if metric == Metric.ADOPTION:
        if units:
            return _("Adoption of %(service)s in %(units)s") % {"service": service_name,
                                                                 "units": units}
        return _("Adoption of %(service)s") % {"service": service_name}
    if metric == Metric.RESPONSE_RATE:
        wave_id = _int_or_none(params.get("wave"))
        wave = (Wave.objects.select_related("survey").filter(pk=wave_id).first()
                if wave_id is not None else None)
        if wave is None:
            return _("Response rate of wave %(id)s") % {"id": params.get("wave", "")}
        return _("Response rate of %(wave)s (%(survey)s)") % {"wave": wave.name,
                                                               "survey": wave.survey.title}
    if metric == Metric.NEEDS_ANSWERED:
        campaign_id = _int_or_none(params.get("campaign"))
        campaign = (Campaign.objects.filter(pk=campaign_id).first()
                    if campaign_id is not None else None)
        if campaign is not None:
            return _("Share of needs answered in %(campaign)s") % {"campaign": campaign.name}
        return _("Share of needs submitted during the plan that got an answer")
    return str(Metric.NONE.label)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _unit_names(codes: Sequence[str]) -> str:
    names = dict(BusinessUnit.objects.filter(code__in=codes).values_list("code", "name"))
    return ", ".join(names.get(code, code) for code in codes)


def _attribute_name(survey: Survey | None, params: Mapping[str, Any]) -> str:
    code = str(params.get("option", ""))
    grid = barometer_grid(survey) if survey is not None else None
    if grid is not None and grid.code == params.get("question"):
        for option in grid.options or []:
            if option.get("code") == code:
                return option_label(option, (get_language() or "fr")[:2])
    return code


# -- status -------------------------------------------------------------------------------------

def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def status(*, metric: str, value: float | None, baseline: float | None, target: float | None,
           starts_on: dt.date, due_on: dt.date, at: dt.date) -> tuple[str, float | None]:
    """The status of a figure ``value`` dated ``at`` (see the module's docstring), and where
    the line from baseline to target stood then (None without a baseline or target)."""
    if metric == Metric.NONE:
        return NOT_MEASURED, None
    if value is None:
        return NO_DATA, None
    if target is None:
        return NO_TARGET, None
    sign = -1 if metric in LOWER_IS_BETTER else 1
    expected = None
    if baseline is not None:
        span = (due_on - starts_on).days
        done = 1.0 if span <= 0 else min(max((at - starts_on).days / span, 0.0), 1.0)
        expected = round(baseline + (target - baseline) * done, 2)
    if sign * value >= sign * target:
        return REACHED, expected
    if expected is None:
        return (ON_TRACK if at < due_on else AT_RISK), None
    return (ON_TRACK if sign * value >= sign * expected else AT_RISK), expected


# -- the figure ---------------------------------------------------------------------------------

def live(objective: Objective, *, today: dt.date | None = None) -> Live:
    """The objective's figure as released now, with its status."""
    today = today or timezone.localdate()
    plan = objective.plan
    due_on = objective.due_on or plan.ends_on
    metric = objective.metric
    baseline, target = _number(objective.baseline), _number(objective.target)
    unit = UNITS.get(metric, "")
    problem = ""
    figure = Figure()
    if metric != Metric.NONE:
        try:
            params = check_params(metric, objective.params or {})
        except ParamsInvalid as exc:
            problem = " ".join(reason for _field, reason in exc.details)
        else:
            figure = READERS[metric](params, objective=objective, today=today)
    label = describe(metric, objective.params or {})
    state, expected = status(metric=metric, value=figure.value, baseline=baseline,
                             target=target, starts_on=plan.starts_on, due_on=due_on,
                             at=figure.as_of or today)
    return Live(metric=metric, label=label, status=state, value=figure.value, unit=unit,
                n=figure.n, as_of=figure.as_of, previous=figure.previous, baseline=baseline,
                target=target, due_on=due_on, expected=expected, suppressed=figure.suppressed,
                scale=figure.scale, problem=problem)


def _units_filter(codes: Sequence[str]) -> tuple[str, ...]:
    """The barometer's unit filter for ``codes``: each with its sub-units (as its page)."""
    found: dict[str, None] = {}
    for code in codes:
        found.update(dict.fromkeys(unit_and_descendants(code)))
    return tuple(found)


def _released_waves(survey: Survey, units: tuple[str, ...]
                    ) -> tuple[Barometer, list[WaveFigures], dict[int, dt.date]]:
    """The barometer as its page shows it for the units, its waves with answers released
    (closed), and each wave's closing day."""
    data = dashboards.barometer(survey, Filters(units=units)).data
    closes = dict(survey.waves.values_list("number", "closes_on"))
    return data, [w for w in data.waves if not w.in_progress], closes


def _nps(params: Mapping[str, Any], *, objective: Objective, today: dt.date) -> Figure:
    survey = Survey.objects.get(slug=params["survey"])
    _data, waves, closes = _released_waves(survey, _units_filter(params.get("units", [])))
    shown = [i for i, w in enumerate(waves) if not w.suppressed and w.nps is not None]
    if not shown:
        return Figure(suppressed=bool(waves))
    latest = waves[shown[-1]]
    before = waves[shown[-1] - 1] if shown[-1] > 0 else None
    assert latest.nps is not None  # shown
    previous = (round(before.nps.value, 1)
                if before is not None and not before.suppressed and before.nps else None)
    return Figure(value=round(latest.nps.value, 1), n=latest.nps.n,
                  as_of=min(closes[latest.wave], today), previous=previous)


def _satisfaction(params: Mapping[str, Any], *, objective: Objective, today: dt.date
                  ) -> Figure:
    survey = Survey.objects.get(slug=params["survey"])
    grid = barometer_grid(survey)
    assert grid is not None  # checked with the parameters
    units = _units_filter(params.get("units", []))
    data, waves, closes = _released_waves(survey, units)
    shown = [i for i, w in enumerate(waves) if not w.suppressed]
    if not shown:
        return Figure(suppressed=bool(waves))
    latest = waves[shown[-1]]
    # The page's own figures are those of its latest shown wave: read them from it.
    value, n, hidden = _attribute(survey, latest.wave, units, params["option"],
                                  data=data if data.latest is latest else None)
    before = waves[shown[-1] - 1] if shown[-1] > 0 else None
    previous = None
    if before is not None and not before.suppressed:
        previous = _attribute(survey, before.wave, units, params["option"])[0]
    return Figure(value=value, n=n, as_of=min(closes[latest.wave], today), previous=previous,
                  suppressed=hidden, scale=scale_of(grid))


def _attribute(survey: Survey, wave: int, units: tuple[str, ...], option: str, *,
               data: Barometer | None = None) -> tuple[float | None, int | None, bool]:
    """The attribute's mean satisfaction in one released wave as the barometer page shows it
    (that wave chosen, the units filtered): (value, respondents, suppressed). ``data``: the
    page's figures when they are that wave's already."""
    if data is None:
        data = dashboards.barometer(survey, Filters(waves=(wave,), units=units)).data
    rows = {row["code"]: row for row in data.attributes}
    if option not in rows:
        # The page shows no attribute of a group under the threshold; its size stays unsaid.
        small = 0 < data.attributes_n < survey.min_group_size
        return None, None, small
    return round(float(rows[option]["performance"]), 2), data.attributes_n, False


def _months(end: dt.date) -> tuple[str, ...]:
    """The ``TICKET_MONTHS`` whole months before ``end`` (a month's first day), as the ticket
    page's month filter names them."""
    return tuple(usage.add_months(end, -i).strftime("%Y-%m")
                 for i in range(TICKET_MONTHS, 0, -1))


def _happiness(service: str | None, months: tuple[str, ...]
               ) -> tuple[float | None, int | None, bool]:
    """Ticket happiness over ``months`` as the ticket experience page shows it with those
    months chosen (and the service): (value, ratings, suppressed)."""
    filters = TicketFilters(services=(service,) if service else None, months=months)
    total = dashboards.tickets(filters).data.total
    if total is None:
        return None, None, False
    if total["suppressed"] or total["happiness"] is None:
        return None, None, True
    return round(total["happiness"].value, 1), int(total["n"]), False


def _ticket_happiness(params: Mapping[str, Any], *, objective: Objective, today: dt.date
                      ) -> Figure:
    end = disclosure.release_before(today)
    value, n, hidden = _happiness(params.get("service"), _months(end))
    previous = _happiness(params.get("service"),
                          _months(usage.add_months(end, -TICKET_MONTHS)))[0]
    if value is None and not hidden:
        return Figure(previous=previous)
    return Figure(value=value, n=n, as_of=end - dt.timedelta(days=1), previous=previous,
                  suppressed=hidden)


def _top_units(codes: Sequence[str]) -> list[str]:
    """``codes`` without those inside another one listed (a unit covers its sub-units)."""
    parents = unit_parents()
    chosen = set(codes)
    out = []
    for code in codes:
        node, inside = parents.get(code), False
        seen: set[str] = set()
        while node is not None and node not in seen:
            seen.add(node)
            if node in chosen:
                inside = True
                break
            node = parents.get(node)
        if not inside:
            out.append(code)
    return out


def _adoption_in(service: Service, month: dt.date, units: Sequence[str], today: dt.date
                 ) -> tuple[float | None, int | None, bool]:
    """Adoption in ``month`` for the whole audience or the units, from the usage module's
    released cells: (percent, audience, suppressed). Several units: each cell must be shown;
    their counts, each released, are added up."""
    if not units:
        rows = [usage.adoption(service, month=month, today=today).total]
    else:
        rows = [usage.adoption(service, month=month, within=code, today=today).total
                for code in _top_units(units)]
    if any(row is None or row.suppressed for row in rows):
        return None, None, True
    active = sum(row.active_users or 0 for row in rows if row is not None)
    audience = sum(row.audience or 0 for row in rows if row is not None)
    if not audience:
        return None, None, False
    rate = A.adoption_rate(active, audience)
    return round(100 * rate.value, 1), audience, False


def _adoption(params: Mapping[str, Any], *, objective: Objective, today: dt.date) -> Figure:
    service = Service.objects.get(slug=params["service"])
    months = usage.months_with_usage(service, today=today)
    if not months:
        return Figure()
    units = params.get("units", [])
    value, n, hidden = _adoption_in(service, months[0], units, today)
    previous = _adoption_in(service, months[1], units, today)[0] if len(months) > 1 else None
    return Figure(value=value, n=n, as_of=usage.add_months(months[0], 1) - dt.timedelta(days=1),
                  previous=previous, suppressed=hidden)


def _response_rate(params: Mapping[str, Any], *, objective: Objective, today: dt.date
                   ) -> Figure:
    wave = Wave.objects.select_related("survey").get(pk=params["wave"])
    rates = listening.survey_wave_rates(wave.survey)
    figures = rates[wave.pk]
    earlier = wave.survey.waves.filter(number__lt=wave.number).order_by("-number").first()
    previous = None
    if earlier is not None and rates[earlier.pk]["rate"] is not None:
        previous = round(100 * rates[earlier.pk]["rate"], 1)
    if figures["suppressed"] and figures["invited"]:
        return Figure(suppressed=True, previous=previous)
    if figures["rate"] is None:
        return Figure(previous=previous)
    return Figure(value=round(100 * figures["rate"], 1), n=figures["sent"],
                  as_of=min(wave.closes_on, today), previous=previous)


def _needs_answered(params: Mapping[str, Any], *, objective: Objective, today: dt.date
                    ) -> Figure:
    campaign = Campaign.objects.get(pk=params["campaign"]) if "campaign" in params else None
    plan = objective.plan
    total, answered = answered_needs(campaign=campaign, since=plan.starts_on,
                                     until=min(plan.ends_on, today))
    if not total:
        return Figure()
    return Figure(value=round(100 * answered / total, 1), n=total, as_of=today)


READERS: dict[str, Callable[..., Figure]] = {
    Metric.NPS: _nps, Metric.SATISFACTION: _satisfaction,
    Metric.TICKET_HAPPINESS: _ticket_happiness, Metric.ADOPTION: _adoption,
    Metric.RESPONSE_RATE: _response_rate, Metric.NEEDS_ANSWERED: _needs_answered}
