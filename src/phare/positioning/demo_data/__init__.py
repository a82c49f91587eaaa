"""The positioning demo as plain data: the study's design, and how the demo's people answer it.

Nothing here touches the database; :mod:`phare.positioning.demo` writes the study through the
app's services and the answers as listening's demo writes its own. Each respondent belongs to
one of four latent **attitudes** (never stored: the segmentation has to find them again):

- ``loyal`` — the security-minded loyalists: they rate the IT department well, care about
  security, data protection and reliability, use few alternatives, prefer the IT department;
- ``fast`` — the self-starters: speed, ease of use and innovation matter; they find the IT
  department slow and hard to use, buy SaaS and use consumer tools, prefer SaaS;
- ``floor`` — the shop floor: availability, support and fit to the job matter; the local power
  user is there when the IT department is not (plants and warehouses are mostly this);
- ``cost`` — the budget holders: cost and fit matter, they know the outsourcers and compare.

The pattern every page should find: the IT department wins on security, data protection and
reliability, loses on speed and ease of use to SaaS; plants prefer the local power user more
than anyone; preference goes mostly to the IT department, then to SaaS.

What the marketing lead writes from the results (persona cards, statements, benchmarks) is
:mod:`.writing`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from random import Random
from typing import Any

STUDY_SLUG = "dsi-alternatives"
STUDY_TITLE = ("La DSI face à ses alternatives", "The IT department and its alternatives")
#: A second, smaller study of the catalogue's collaboration family: its published statement
#: is the promise shown on that family's page (a department-wide study has no family page).
FAMILY_STUDY_SLUG = "collaborer-alternatives"
FAMILY_STUDY_TITLE = ("Collaborer : la DSI face aux outils du marché",
                      "Collaborating: the IT department against market tools")
FAMILY = "collab"
FAMILY_RESPONDENTS = 350
#: The wave: one, closed, whole months ago (its answers are released).
WAVE_NAME = "Étude de positionnement"
WAVE_NAME_EN = "Positioning study"
WAVE_WEEKS_AGO = 10
WAVE_DAYS = 21
#: About this many respondents in the default demo (5,000 employees).
RESPONDENTS = 1200
#: The share of the invited who answer (the sample is sized from it).
RESPONSE_RATE = 0.62
COMMENT_SHARE = 0.42
USED_WHY_SHARE = 0.55
#: A cell left empty ("I don't know") on an alternative the respondent knows.
UNKNOWN_CELL = 0.04

#: Units and sites that are plants or warehouses (the directory demo's codes).
PLANT_UNITS = frozenset({"PROD", "LOG"})
PLANT_SITES = frozenset({"VAL", "STE", "ORL"})


@dataclass(frozen=True)
class AlternativeSpec:
    """An alternative; ``aware``: the share who know it well enough to rate it (plants:
    ``aware_plant``), ``use``: the chance someone who knows it used it in the last 6 months,
    ``bias``: its pull on preference beyond the ratings."""

    code: str
    kind: str
    label: tuple[str, str]
    aware: float
    aware_plant: float
    use: float
    bias: float


INTERNAL = "dsi"
SAAS, OUTSOURCER, CONSUMER, POWER_USER = "saas", "outsourcer", "personal", "power_user"
ALTERNATIVES: tuple[AlternativeSpec, ...] = (
    AlternativeSpec(INTERNAL, "internal", ("La DSI", "The IT department"), 1.0, 1.0, 1.0, 0.8),
    AlternativeSpec(SAAS, "saas", ("Un SaaS acheté par le métier", "SaaS bought by the business"),
                    0.72, 0.45, 0.55, 0.3),
    AlternativeSpec(OUTSOURCER, "outsourcer",
                    ("Un prestataire ou un fournisseur", "An outsourcer or supplier"),
                    0.5, 0.5, 0.4, -0.25),
    AlternativeSpec(CONSUMER, "consumer",
                    ("Mes outils personnels ou grand public", "Personal or consumer tools"),
                    0.85, 0.8, 0.6, -0.45),
    AlternativeSpec(POWER_USER, "power_user",
                    ("Un collègue référent du service", "A local power user"),
                    0.45, 0.9, 0.55, -0.2),
)
ALTERNATIVE_CODES = tuple(a.code for a in ALTERNATIVES)


@dataclass(frozen=True)
class AttributeSpec:
    """An attribute and how much it matters on average (1–5)."""

    code: str
    label: tuple[str, str]
    importance: float


SPEED, COST, SECURITY, EASE, SUPPORT = "speed", "cost", "security", "ease", "support"
FIT, INNOVATION, RELIABILITY, DATA, AVAILABILITY = (
    "fit", "innovation", "reliability", "data_protection", "availability")
ATTRIBUTES: tuple[AttributeSpec, ...] = (
    AttributeSpec(SPEED, ("Rapidité", "Speed"), 3.9),
    AttributeSpec(COST, ("Coût", "Cost"), 3.0),
    AttributeSpec(SECURITY, ("Sécurité", "Security"), 3.8),
    AttributeSpec(EASE, ("Simplicité d'utilisation", "Ease of use"), 4.0),
    AttributeSpec(SUPPORT, ("Accompagnement", "Support"), 3.6),
    AttributeSpec(FIT, ("Adapté à mon métier", "Fit to my job"), 3.9),
    AttributeSpec(INNOVATION, ("Innovation", "Innovation"), 3.0),
    AttributeSpec(RELIABILITY, ("Fiabilité", "Reliability"), 4.1),
    AttributeSpec(DATA, ("Protection des données", "Data protection"), 3.6),
    AttributeSpec(AVAILABILITY, ("Disponibilité", "Availability"), 3.8),
)
ATTRIBUTE_CODES = tuple(a.code for a in ATTRIBUTES)

#: How each alternative is seen on average, attribute by attribute (1–5).
IMAGE: dict[str, dict[str, float]] = {
    INTERNAL: {SPEED: 2.4, COST: 3.2, SECURITY: 4.4, EASE: 2.6, SUPPORT: 3.5, FIT: 3.0,
               INNOVATION: 2.6, RELIABILITY: 4.0, DATA: 4.5, AVAILABILITY: 3.3},
    SAAS: {SPEED: 4.2, COST: 2.5, SECURITY: 3.0, EASE: 4.3, SUPPORT: 2.8, FIT: 3.8,
           INNOVATION: 4.2, RELIABILITY: 3.6, DATA: 2.6, AVAILABILITY: 3.9},
    OUTSOURCER: {SPEED: 3.1, COST: 2.2, SECURITY: 3.5, EASE: 3.0, SUPPORT: 3.3, FIT: 3.1,
                 INNOVATION: 3.2, RELIABILITY: 3.5, DATA: 3.3, AVAILABILITY: 3.0},
    CONSUMER: {SPEED: 4.5, COST: 4.4, SECURITY: 1.9, EASE: 4.6, SUPPORT: 1.6, FIT: 2.8,
               INNOVATION: 3.9, RELIABILITY: 2.8, DATA: 1.6, AVAILABILITY: 4.3},
    POWER_USER: {SPEED: 4.0, COST: 3.8, SECURITY: 2.3, EASE: 3.7, SUPPORT: 4.2, FIT: 4.3,
                 INNOVATION: 2.7, RELIABILITY: 2.6, DATA: 2.3, AVAILABILITY: 4.1},
}
#: In plants and warehouses the local power user is closer still.
PLANT_POWER_USER = 0.3
PLANT_PREFERS_POWER_USER = 0.0


@dataclass(frozen=True)
class Attitude:
    """A latent group: how it rates the IT department (shifts), what matters to it (shifts of
    importance), how much it uses each alternative and leans towards it, what it writes."""

    code: str
    share: float
    internal: Mapping[str, float]
    importance: Mapping[str, float]
    uses: Mapping[str, float]
    bias: Mapping[str, float]
    tools: float  # how many shadow tools it declares, relative to others
    #: Tilt of each profile question towards its last options (+) or its first (−), in the
    #: order of ``questionnaire.PROFILE_QUESTIONS`` (digital ease runs from expert to
    #: uneasy, role from manager to staff).
    profile: Mapping[str, float] = field(default_factory=dict)


ATTITUDES: tuple[Attitude, ...] = (
    Attitude("loyal", 0.34,
             internal={SPEED: 0.9, EASE: 0.8, SUPPORT: 0.8, FIT: 0.7, SECURITY: 0.3,
                       RELIABILITY: 0.5, AVAILABILITY: 0.6, INNOVATION: 0.6, COST: 0.4},
             importance={SECURITY: 1.1, DATA: 1.2, RELIABILITY: 0.7, INNOVATION: -0.9,
                         SPEED: -0.8, COST: -0.5, EASE: -0.4},
             uses={SAAS: 0.25, OUTSOURCER: 0.4, CONSUMER: 0.2, POWER_USER: 0.4},
             bias={INTERNAL: 1.1}, tools=0.3,
             profile={"profile_tenure": 1.2, "profile_digital": 0.3, "profile_remote": 0.0}),
    Attitude("fast", 0.28,
             internal={SPEED: -0.9, EASE: -0.9, INNOVATION: -0.8, FIT: -0.5, SUPPORT: -0.4,
                       AVAILABILITY: -0.3},
             importance={SPEED: 1.0, EASE: 0.9, INNOVATION: 1.3, SECURITY: -1.1, DATA: -1.0,
                         SUPPORT: -0.6},
             uses={SAAS: 1.6, OUTSOURCER: 0.8, CONSUMER: 1.5, POWER_USER: 0.6},
             bias={SAAS: 0.8, INTERNAL: -0.3}, tools=2.0,
             profile={"profile_tenure": -1.2, "profile_digital": -1.6, "profile_remote": 1.2}),
    Attitude("floor", 0.18,
             internal={AVAILABILITY: -1.2, SUPPORT: -1.1, FIT: -1.0, SPEED: -0.4, EASE: -0.2},
             importance={AVAILABILITY: 1.1, SUPPORT: 1.2, FIT: 0.9, INNOVATION: -1.2,
                         COST: -0.6, DATA: -0.6},
             uses={SAAS: 0.3, OUTSOURCER: 0.4, CONSUMER: 0.9, POWER_USER: 1.6},
             bias={POWER_USER: 0.35}, tools=0.8,
             profile={"profile_tenure": 0.6, "profile_digital": 1.4, "profile_remote": -1.8,
                      "profile_role": 0.5}),
    Attitude("cost", 0.20,
             internal={COST: -1.3, FIT: -0.6, INNOVATION: -0.4, SPEED: -0.3, RELIABILITY: -0.3},
             importance={COST: 1.6, FIT: 0.6, RELIABILITY: 0.3, EASE: -0.6, INNOVATION: -0.3,
                         AVAILABILITY: -0.5},
             uses={SAAS: 0.9, OUTSOURCER: 1.8, CONSUMER: 0.5, POWER_USER: 0.5},
             bias={OUTSOURCER: 0.8, SAAS: 0.2}, tools=0.7,
             profile={"profile_role": -1.2, "profile_tenure": 0.3, "profile_digital": -0.4}),
)
ATTITUDE_CODES = tuple(a.code for a in ATTITUDES)

#: What matters more (or less) in each job family (the directory demo's codes).
JOB_IMPORTANCE: dict[str, dict[str, float]] = {
    "PROD": {AVAILABILITY: 0.6, RELIABILITY: 0.4, INNOVATION: -0.4},
    "SCM": {AVAILABILITY: 0.5, SPEED: 0.3},
    "FIN": {COST: 0.7, DATA: 0.3},
    "JUR": {DATA: 0.8, SECURITY: 0.5, INNOVATION: -0.3},
    "COM": {SPEED: 0.6, EASE: 0.4, AVAILABILITY: 0.3},
    "MKT": {INNOVATION: 0.7, EASE: 0.4},
    "ING": {INNOVATION: 0.6, FIT: 0.4},
    "RH": {DATA: 0.6, EASE: 0.3},
    "IT": {SECURITY: 0.6, RELIABILITY: 0.3},
    "MGT": {COST: 0.3, INNOVATION: 0.3},
}

RATING_NOISE = 0.55
IMPORTANCE_NOISE = 0.5
PREFERENCE_NOISE = 0.35
#: How many shadow tools someone declares (before their attitude's factor).
TOOL_CHANCE = 0.12


@dataclass(frozen=True)
class ToolSpec:
    """A tool suggested in the questionnaire (or only ever typed in "other"); ``service``:
    the catalogue demo's equivalent (slug), or none for a gap; ``spellings``: how people type
    it in "other"."""

    name: str
    share: float
    suggested: bool = True
    service: str = ""
    aliases: tuple[str, ...] = ()
    spellings: tuple[str, ...] = ()
    #: Attitudes that use it much more than others (factor).
    favoured_by: Mapping[str, float] = field(default_factory=dict)


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("Dropbox", 0.10, service="espaces-equipe", favoured_by={"fast": 1.5}),
    ToolSpec("WeTransfer", 0.18, service="transfert-fichiers-volumineux",
             aliases=("We Transfer",), spellings=("wetransfer", "We Transfer"),
             favoured_by={"cost": 1.5, "fast": 1.3}),
    ToolSpec("Trello", 0.08, service="espaces-equipe", favoured_by={"fast": 2.0}),
    ToolSpec("WhatsApp", 0.20, aliases=("Whats App", "Whatsap", "WhatsApp Business"),
             spellings=("whatsapp", "Whats App", "Whatsap", "WhatsApp Business"),
             favoured_by={"floor": 2.5}),
    ToolSpec("ChatGPT", 0.22, aliases=("Chat GPT", "Chat-GPT", "OpenAI ChatGPT"),
             spellings=("Chat GPT", "chatgpt", "Chat-GPT", "OpenAI ChatGPT"),
             favoured_by={"fast": 2.0}),
    ToolSpec("Google Drive", 0.09, service="espaces-equipe", aliases=("GDrive", "Google Docs"),
             spellings=("google drive", "GDrive", "Google Docs")),
    ToolSpec("Notion", 0.06, favoured_by={"fast": 2.0}),
    ToolSpec("Zoom", 0.07, service="visioconference", spellings=("zoom",),
             favoured_by={"cost": 1.4}),
    # Only ever typed in "other".
    ToolSpec("Canva", 0.05, suggested=False, spellings=("Canva", "canva")),
    ToolSpec("DeepL", 0.06, suggested=False, spellings=("DeepL", "deepl", "Deep L")),
    ToolSpec("Doodle", 0.03, suggested=False, spellings=("Doodle", "doodle")),
    ToolSpec("Miro", 0.02, suggested=False, spellings=("Miro",)),
)
#: The gap whose need the demo proposes, and the equivalent whose action it proposes.
GAP_FOR_NEED = "WhatsApp"
EQUIVALENT_FOR_ACTION = "WeTransfer"


# --- Who answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    """What the answer model knows of a respondent: language, top unit, site, job family."""

    language: str
    top_unit: str
    site: str
    job_family: str

    @property
    def plant(self) -> bool:
        return self.top_unit in PLANT_UNITS or self.site in PLANT_SITES


def attitude(rng: Random, who: Who) -> Attitude:
    """The latent group someone belongs to: plants are mostly the shop floor; sales,
    marketing and engineers lean fast; finance and law lean loyal or cost-minded."""
    weights = {a.code: a.share for a in ATTITUDES}
    if who.plant:
        weights["floor"] *= 5.0
        weights["fast"] *= 0.5
    else:
        weights["floor"] *= 0.35
    if who.job_family in {"COM", "MKT", "ING"}:
        weights["fast"] *= 1.8
    if who.job_family in {"FIN", "JUR", "MGT"}:
        weights["cost"] *= 1.6
        weights["loyal"] *= 1.3
    if who.job_family == "IT":
        weights["loyal"] *= 2.0
    return rng.choices(ATTITUDES, weights=[weights[a.code] for a in ATTITUDES])[0]


def clamp(value: float, low: int, high: int) -> int:
    return min(high, max(low, round(value)))


# --- The answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    """One respondent's answers, in the stored shape of the generated questionnaire."""

    answers: dict[str, Any]
    attitude: str


def answer(rng: Random, who: Who, *, tool_codes: Mapping[str, str],
           profile_options: Mapping[str, Sequence[str]],
           scale: tuple[int, int] = (1, 5)) -> Answered:
    """The answers of ``who``. ``tool_codes``: suggested tool name → its option code in the
    ``tools`` question; ``profile_options``: profile question code → its option codes."""
    group = attitude(rng, who)
    mood = rng.gauss(0, 0.35)
    low, high = scale
    aware = [INTERNAL] + [a.code for a in ALTERNATIVES[1:]
                          if rng.random() < (a.aware_plant if who.plant else a.aware)]
    ratings: dict[str, dict[str, int]] = {}
    levels: dict[str, dict[str, float]] = {}
    for code in aware:
        levels[code], cells = {}, {}
        for attribute in ATTRIBUTE_CODES:
            level = IMAGE[code][attribute] + rng.gauss(0, RATING_NOISE)
            if code == INTERNAL:
                level += group.internal.get(attribute, 0.0) + mood
            elif code == POWER_USER and who.plant:
                level += PLANT_POWER_USER
            elif code == SAAS and group.code == "fast":
                level += 0.3
            levels[code][attribute] = level
            if code == INTERNAL or rng.random() >= UNKNOWN_CELL:
                cells[attribute] = clamp(level, low, high)
        ratings[code] = cells
    family = JOB_IMPORTANCE.get(who.job_family, {})
    importance = {a.code: clamp(a.importance + group.importance.get(a.code, 0.0)
                                + family.get(a.code, 0.0) + rng.gauss(0, IMPORTANCE_NOISE),
                                low, high) for a in ATTRIBUTES}
    used = [code for code in aware[1:]
            if rng.random() < min(0.95, _spec(code).use * group.uses.get(code, 1.0)
                                  * (1.6 if code == POWER_USER and who.plant else 1.0))]
    answers: dict[str, Any] = {
        "ratings": ratings, "importance": {"importance": importance},
        "used": used or ["none"],
        "preference": _preference(rng, who, group, levels, importance),
    }
    if used and rng.random() < USED_WHY_SHARE:
        answers["used_why"] = used_why(rng, who.language, used)
    tools, other = declared_tools(rng, group, tool_codes)
    if tools:
        answers["tools"] = tools
    if other:
        answers["tools.other"] = other
    if rng.random() < COMMENT_SHARE:
        answers["comment"] = comment(rng, who.language, group.code)
    for question, options in profile_options.items():
        answers[question] = profile_choice(rng, options, group.profile.get(question, 0.0))
    return Answered(answers, group.code)


def _spec(code: str) -> AlternativeSpec:
    return next(a for a in ALTERNATIVES if a.code == code)


def _preference(rng: Random, who: Who, group: Attitude, levels: Mapping[str, Mapping[str, float]],
                importance: Mapping[str, int]) -> str:
    """The alternative with the best utility: ratings weighed by what matters to this person,
    plus the alternative's and the group's lean, plus noise."""
    total = sum(importance.values())
    best, best_utility = INTERNAL, -math.inf
    for code, level in levels.items():
        utility = sum(importance[a] * level[a] for a in ATTRIBUTE_CODES) / total
        utility += _spec(code).bias + group.bias.get(code, 0.0) + rng.gauss(0, PREFERENCE_NOISE)
        if code == POWER_USER and who.plant:
            utility += PLANT_PREFERS_POWER_USER
        if utility > best_utility:
            best, best_utility = code, utility
    return best


def declared_tools(rng: Random, group: Attitude, tool_codes: Mapping[str, str]
                   ) -> tuple[list[str], str]:
    """The suggested tools ticked (option codes, plus ``other``) and the "other" text: tools
    not suggested, or suggested ones typed in rather than ticked, in people's spellings."""
    codes: list[str] = []
    typed: list[str] = []
    for tool in TOOLS:
        chance = TOOL_CHANCE * tool.share / 0.1 * group.tools * tool.favoured_by.get(
            group.code, 1.0)
        if rng.random() >= min(0.9, chance):
            continue
        code = tool_codes.get(tool.name)
        if code is not None and (not tool.spellings or rng.random() < 0.8):
            codes.append(code)
        else:
            typed.append(rng.choice(tool.spellings or (tool.name,)))
    if typed:
        codes.append("other")
    separator = rng.choice([", ", "; ", "\n", " ; "])
    return codes, separator.join(typed)


def profile_choice(rng: Random, options: Sequence[str], tilt: float) -> str:
    """One option, leaning towards the last options when ``tilt`` > 0 (first when < 0)."""
    if len(options) == 1:
        return options[0]
    weights = [math.exp(tilt * (2 * i / (len(options) - 1) - 1)) for i in range(len(options))]
    return rng.choices(list(options), weights=weights)[0]


# --- Words -------------------------------------------------------------------------------------

_Phrases = dict[str, tuple[str, ...]]

OPENERS: dict[str, _Phrases] = {
    "fr": {"loyal": ("Globalement je fais confiance à la DSI.", "Franchement, rien à redire sur "
                     "le fond.", "Je préfère passer par la DSI.", "La DSI reste la référence."),
           "fast": ("On perd trop de temps.", "Honnêtement, c'est trop lent.",
                    "Le métier n'attend pas.", "On finit par se débrouiller seuls."),
           "floor": ("À l'atelier, c'est une autre réalité.", "Sur le terrain, on est loin de "
                     "tout.", "Pour nous en production, c'est compliqué.",
                     "En équipe de nuit, personne ne répond."),
           "cost": ("Il faut parler du prix.", "Côté budget, ça coince.",
                    "On compare avec les prestataires.", "La refacturation pose question.")},
    "en": {"loyal": ("Overall I trust the IT department.", "Honestly, nothing to fault on "
                     "substance.", "I'd rather go through IT.", "IT is still the reference."),
           "fast": ("We lose too much time.", "Honestly, it is too slow.",
                    "The business won't wait.", "We end up fending for ourselves."),
           "floor": ("On the shop floor it's a different world.", "Out in the field we are far "
                     "from everything.", "For us in production it's hard.",
                     "On the night shift nobody answers."),
           "cost": ("We need to talk about price.", "Budget-wise, it hurts.",
                    "We compare with suppliers.", "The internal charges raise questions.")},
}
THEMES: dict[str, _Phrases] = {
    "fr": {"loyal": ("Nos données sont protégées, c'est l'essentiel.",
                     "Les outils fonctionnent et sont sûrs.",
                     "Le support connaît nos applications.",
                     "Je ne mettrais pas des données clients dans un outil grand public.",
                     "La sécurité passe avant la vitesse.",
                     "Les pannes sont rares et vite réglées."),
           "fast": ("Il faut des semaines pour obtenir un outil qu'on achète en ligne en une "
                    "heure.", "Les applications internes sont compliquées à utiliser.",
                    "Le SaaS que le service a acheté fait le travail, sans ticket.",
                    "On aimerait tester des outils nouveaux, comme l'IA.",
                    "Chaque demande passe par trois validations.",
                    "Les outils fournis ont dix ans de retard."),
           "floor": ("Quand une machine tombe, c'est le référent de l'équipe qui dépanne.",
                     "Le support n'est pas joignable en horaires décalés.",
                     "On n'a pas de poste, seulement un téléphone.",
                     "On s'organise sur WhatsApp faute de mieux.",
                     "Les applications ne sont pas pensées pour l'atelier.",
                     "Il faudrait quelqu'un de la DSI sur le site."),
           "cost": ("Le coût refacturé est plus élevé qu'une offre du marché.",
                    "Le prestataire nous a fait un devis en deux jours.",
                    "On paie pour des fonctions qu'on n'utilise pas.",
                    "Il faut justifier chaque licence.",
                    "L'offre ne correspond pas à notre métier.",
                    "On voudrait comprendre ce qu'on paie.")},
    "en": {"loyal": ("Our data is protected, that's what matters.",
                     "The tools work and they are safe.",
                     "Support knows our applications.",
                     "I would never put client data into a consumer tool.",
                     "Security comes before speed.",
                     "Outages are rare and quickly fixed."),
           "fast": ("It takes weeks to get a tool you can buy online in an hour.",
                    "Internal applications are hard to use.",
                    "The SaaS our team bought does the job, no ticket needed.",
                    "We would like to try new tools, like AI.",
                    "Every request goes through three approvals.",
                    "The tools we get are ten years behind."),
           "floor": ("When a machine is down, the team's power user fixes it.",
                     "Support can't be reached on shifts.",
                     "We have no computer, only a phone.",
                     "We organise ourselves on WhatsApp for lack of anything better.",
                     "The applications aren't designed for the shop floor.",
                     "We need someone from IT on site."),
           "cost": ("The internal charge is higher than a market offer.",
                    "The supplier sent us a quote in two days.",
                    "We pay for features we don't use.",
                    "Every licence has to be justified.",
                    "The offer doesn't fit our job.",
                    "We would like to understand what we pay for.")},
}
CLOSERS: dict[str, tuple[str, ...]] = {
    "fr": ("", "", "Merci de nous écouter.", "À améliorer vite.", "Continuez comme ça.",
           "Sinon, on ira ailleurs."),
    "en": ("", "", "Thanks for listening.", "Please fix this soon.", "Keep it up.",
           "Otherwise we'll go elsewhere."),
}
USED_WHY: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {SAAS: ("Le SaaS était disponible tout de suite.", "Le service l'a acheté pour "
                  "aller plus vite."),
           OUTSOURCER: ("Le prestataire connaît notre métier.", "Le fournisseur était moins "
                        "cher."),
           CONSUMER: ("C'est plus simple avec mes propres outils.", "Sur mon téléphone, c'est "
                      "immédiat."),
           POWER_USER: ("Le référent est à côté et répond tout de suite.", "Notre référent "
                        "connaît nos machines.")},
    "en": {SAAS: ("The SaaS was available at once.", "Our team bought it to move faster."),
           OUTSOURCER: ("The supplier knows our business.", "The supplier was cheaper."),
           CONSUMER: ("It's simpler with my own tools.", "On my phone it's instant."),
           POWER_USER: ("The power user sits next to us and answers at once.",
                        "Our power user knows our machines.")},
}


def comment(rng: Random, language: str, group: str) -> str:
    """A verbatim: an opener, one or two of the group's themes, sometimes a closer."""
    language = language if language in THEMES else "fr"
    themes = THEMES[language][group]
    parts = [rng.choice(OPENERS[language][group])]
    parts += rng.sample(themes, 2 if rng.random() < 0.45 else 1)
    parts.append(rng.choice(CLOSERS[language]))
    return " ".join(part for part in parts if part)


def used_why(rng: Random, language: str, used: Sequence[str]) -> str:
    language = language if language in USED_WHY else "fr"
    return " ".join(rng.choice(USED_WHY[language][code]) for code in used[:2])
