"""The demo listening data as plain data: questionnaires, how people answer, comment phrases.

Nothing here touches the database; :mod:`phare.listening.demo` turns it into surveys, waves,
tickets, invitations and responses. The figures below are the *causes* the generator draws from,
so that later analyses find them again:

- in the barometer, satisfaction with each attribute drives the NPS and the overall CSAT with
  :data:`DRIVER_WEIGHTS` (delays and expertise matter most, security hardly at all); importance
  and satisfaction differ per attribute so that the importance-performance grid has attributes in
  every quadrant; :data:`WAVE_TRENDS` moves some attributes from wave to wave; business units
  differ in mood, in some attributes and in their response rate (:data:`UNIT_PROFILES`);
- in ticket feedback, the rating falls with the resolution time and with each reassignment, and
  depends on the channel and the kind of ticket (:data:`TICKET_CATEGORIES`, :data:`CHANNELS`);
  the reasons given follow the rating band and the cause;
- comments are composed from the phrases of their themes (:data:`THEME_PHRASES`), in the
  person's language, so that the same theme reuses the same words (what a theme finder needs)
  with varied sentences.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from phare.catalog.demo_data import REFERENCE_DATE

#: Tickets are resolved over the twelve months before this date; every date is fixed by it.
TICKETS_END = REFERENCE_DATE
TICKETS_DAYS = 365
#: Without ``--tickets``: ten a year per person, 50,000 for the default 5,000 people.
TICKETS_PER_EMPLOYEE = 10

Labels = tuple[str, str]  # (French, English)


def options(*items: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"code": code, "label_fr": fr, "label_en": en} for code, fr, en in items]


# --- The barometer -----------------------------------------------------------------------------

BAROMETER_SLUG = "barometre-it"
BAROMETER_TITLE: Labels = ("Baromètre de satisfaction IT", "IT satisfaction barometer")
BAROMETER_INTRO: Labels = (
    "Deux fois par an, dites-nous ce qui compte pour vous et comment la DSI s'en sort. "
    "Vos réponses sont anonymes : nous ne voyons que des résultats par groupe d'au moins "
    "5 personnes.",
    "Twice a year, tell us what matters to you and how IT is doing. Your answers are "
    "anonymous: we only see results for groups of at least 5 people.",
)
BAROMETER_THANKS: Labels = ("Merci ! Les résultats seront publiés sur l'intranet.",
                            "Thank you! The results will be published on the intranet.")


class Attribute(NamedTuple):
    """A line of the importance × satisfaction grid and how people rate it."""

    code: str
    label_fr: str
    label_en: str
    importance: float  # mean stated importance (1–5)
    satisfaction: float  # mean satisfaction (1–5) before trends and unit effects


#: Importance − satisfaction places each attribute in a quadrant of the IPA grid (means ≈ 3.9
#: and 3.4): delays, tools and responsiveness to concentrate on; expertise and security to keep
#: up; training possibly overkill; self-service and communication low priorities.
ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("reactivite", "Réactivité", "Responsiveness", 4.4, 3.25),
    Attribute("competence", "Compétence des équipes", "Staff expertise", 4.5, 4.0),
    Attribute("communication", "Communication et information", "Communication", 3.3, 3.3),
    Attribute("delais", "Délais de résolution", "Resolution times", 4.6, 2.85),
    Attribute("outils", "Qualité des outils et du matériel", "Tools and equipment", 4.2, 3.15),
    Attribute("autonomie", "Autonomie (libre-service)", "Self-service", 3.1, 2.8),
    Attribute("securite", "Sécurité", "Security", 4.3, 3.95),
    Attribute("accompagnement", "Accompagnement et formation", "Training and guidance",
              2.9, 3.8),
)

#: How much one point of satisfaction with an attribute moves the NPS (0–10 points).
DRIVER_WEIGHTS: dict[str, float] = {
    "delais": 0.95, "competence": 0.8, "reactivite": 0.5, "outils": 0.35,
    "communication": 0.25, "autonomie": 0.15, "accompagnement": 0.1, "securite": 0.05,
}
NPS_BASE = 7.3  # the NPS latent score of someone at every attribute's mean
NPS_NOISE = 1.15
MOOD_SPREAD = 0.55  # a person's general mood, the same at every wave
RATING_NOISE = 0.75


class Wave(NamedTuple):
    """A barometer wave: dates, response-rate factor, attribute shifts."""

    name: str
    opens_on: dt.date
    closes_on: dt.date
    rate: float  # × the unit's response rate
    trends: dict[str, float]
    name_en: str = ""


#: Communication improves wave over wave; tools drop in January 2026 (a hard Windows 11
#: migration) and recover; self-service improves once the new portal is out (2026).
WAVES: tuple[Wave, ...] = (
    Wave("Janvier 2025", dt.date(2025, 1, 13), dt.date(2025, 2, 7), 1.0,
         {"communication": -0.5, "delais": 0.0}, "January 2025"),
    Wave("Juin 2025", dt.date(2025, 6, 9), dt.date(2025, 7, 4), 0.92,
         {"communication": -0.2, "delais": -0.1}, "June 2025"),
    Wave("Janvier 2026", dt.date(2026, 1, 12), dt.date(2026, 2, 6), 1.03,
         {"communication": 0.15, "delais": -0.15, "outils": -0.65, "autonomie": 0.2},
         "January 2026"),
    Wave("Juin 2026", dt.date(2026, 6, 8), dt.date(2026, 7, 3), 0.95,
         {"communication": 0.45, "delais": 0.05, "outils": -0.1, "autonomie": 0.4},
         "June 2026"),
)
PLANNED_WAVE = Wave("Janvier 2027", dt.date(2027, 1, 11), dt.date(2027, 2, 5), 1.0, {},
                    "January 2027")
#: Half of the active staff is invited, drawn within each business unit.
WAVE_SAMPLE_SHARE = 0.5
REMINDER_DAYS = [7, 14]
#: The wave from which the questionnaire asks how people work (the survey's second version).
WORK_MODE_FROM_WAVE = 3


class UnitProfile(NamedTuple):
    """How a business unit answers: response rate, mood, attribute shifts."""

    rate: float
    mood: float
    shifts: dict[str, float]


#: By unit code; a unit without a profile takes the nearest one above it. Plants and warehouses
#: answer less and are less happy (old shared computers, few ways to help themselves); sales
#: people on the road suffer from the VPN; IT is kind to itself.
UNIT_PROFILES: dict[str, UnitProfile] = {
    "DG": UnitProfile(0.45, 0.3, {}),
    "DSI": UnitProfile(0.52, 0.5, {}),
    "FIN": UnitProfile(0.40, 0.25, {"outils": 0.2}),
    "RH": UnitProfile(0.42, 0.15, {"accompagnement": 0.3}),
    "VEN": UnitProfile(0.32, 0.0, {"outils": -0.4, "reactivite": -0.2}),
    "PROD": UnitProfile(0.27, -0.3, {"outils": -0.4, "autonomie": -0.4}),
    "LOG": UnitProfile(0.29, -0.2, {"delais": -0.3}),
    "RD": UnitProfile(0.36, 0.05, {"outils": -0.3, "securite": -0.35}),
    "JUR": UnitProfile(0.40, 0.25, {}),
}
DEFAULT_PROFILE = UnitProfile(0.30, 0.0, {})

#: How people work (asked from the second version), by unit: weights of each mode.
WORK_MODES = options(("site", "Sur site", "On site"), ("hybrid", "Hybride", "Hybrid"),
                     ("remote", "Surtout à distance", "Mostly remote"))
WORK_MODE_WEIGHTS: dict[str, tuple[int, int, int]] = {
    "PROD": (90, 9, 1), "LOG": (85, 13, 2), "VEN": (25, 45, 30), "RD": (45, 50, 5),
}
DEFAULT_WORK_MODE_WEIGHTS = (35, 58, 7)
#: Remote workers live through the VPN: tools score lower.
WORK_MODE_SHIFTS: dict[str, dict[str, float]] = {"hybrid": {"outils": -0.15},
                                                 "remote": {"outils": -0.5}}

#: The comment themes of an attribute, when it is rated low and when it is rated high.
ATTRIBUTE_THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "delais": (("slow",), ("fast",)),
    "reactivite": (("chase",), ("reachable",)),
    "competence": (("repeat", "not_solved"), ("friendly_tech",)),
    "communication": (("not_informed",), ("informed",)),
    "outils": (("old_laptop", "vpn"), ("new_laptop",)),
    "autonomie": (("password",), ("self_service",)),
    "securite": (("mfa",), ("secure",)),
    "accompagnement": (("no_training",), ("training",)),
}
#: Who writes something, by NPS band; detractors mostly answer "what to improve first".
BAROMETER_TEXT_SHARE = {"low": 0.5, "mid": 0.35, "high": 0.35}
DETRACTOR_WHY_SHARE = 0.7

# --- The pulse and the service survey ----------------------------------------------------------

PULSE_SLUG = "pulse-teletravail"
PULSE_TITLE: Labels = ("Pulse télétravail", "Remote work pulse")
PULSE_WAVE = Wave("Mars 2026", dt.date(2026, 3, 16), dt.date(2026, 3, 27), 1.0, {},
                  "March 2026")
PULSE_INVITED = 1000  # at most; fewer in a small organisation
PULSE_PAINS = options(
    ("vpn", "Connexion VPN", "VPN connection"), ("visio", "Visioconférence", "Video calls"),
    ("home_wifi", "Wifi à la maison", "Home wifi"), ("screen", "Écran, clavier, souris",
                                                      "Screen, keyboard, mouse"),
    ("files", "Accès aux fichiers", "File access"))
PULSE_DAYS = options(("none", "Jamais", "Never"), ("one_two", "1 à 2 jours", "1 to 2 days"),
                     ("three_more", "3 jours ou plus", "3 days or more"))

SERVICE_SLUG = "enquete-vpn"
SERVICE_TITLE: Labels = ("Enquête : travailler de chez soi en toute sécurité (VPN)",
                         "Survey: working securely from home (VPN)")
#: The catalogue service it is about (no service survey when the catalogue was cut without it).
SERVICE_OF_SURVEY = "teletravail-securise"
SERVICE_WAVE = Wave("Campagne septembre 2026", dt.date(2026, 9, 14), dt.date(2026, 10, 2),
                    1.0, {}, "September 2026 campaign")
SERVICE_INVITED = 900
SERVICE_OPEN_LINK_RESPONSES = 120
SERVICE_ISSUES = options(
    ("drops", "Coupures de connexion", "Connection drops"),
    ("slow", "Lenteurs", "Slowness"),
    ("mfa", "Double authentification pénible", "Annoying two-factor sign-in"),
    ("connect", "Difficultés à se connecter", "Trouble connecting"),
    ("none", "Aucun problème", "No problem"))

# --- Ticket feedback ---------------------------------------------------------------------------

TICKET_SLUG = "ticket-feedback"  # "/surveys/tickets/" is a page
TICKET_TITLE: Labels = ("Votre avis sur le traitement de votre demande",
                        "Your feedback on your IT ticket")
TICKET_SAMPLE_PERCENT = 50
TICKET_SEND_DELAY_MINUTES = 60
TICKET_FATIGUE_DAYS = 7
TICKET_ANSWER_RATE = 0.32  # of the invited, before the unit's and channel's factors
TICKET_COMMENT_SHARE = {"low": 0.5, "mid": 0.33, "high": 0.28}
#: People who asked for no more surveys: no survey invites them, their tickets say so.
OPTED_OUT_SHARE = 0.012
#: How many tickets a person opens, relative to others, by unit: plant and warehouse staff
#: share computers and call less; IT fixes much itself.
REQUESTER_WEIGHTS: dict[str, float] = {"PROD": 0.5, "LOG": 0.6, "DSI": 0.7}
NO_REQUESTER_SHARE = 0.01

REASONS_LOW = options(
    ("slow", "La résolution a pris trop de temps", "It took too long to resolve"),
    ("repeat", "J'ai dû répéter mon problème", "I had to repeat myself"),
    ("not_solved", "Le problème n'est pas résolu", "The problem is not solved"),
    ("communication", "Les échanges n'étaient pas clairs", "Communication was unclear"),
    ("chase", "J'ai dû relancer", "I had to chase"),
    ("not_informed", "Je n'ai pas été tenu informé", "I was not kept informed"))
REASONS_MID = options(
    ("bit_long", "Un peu long", "A bit long"),
    ("partly_solved", "Problème résolu en partie", "Only partly solved"),
    ("had_to_explain", "J'ai dû réexpliquer", "I had to explain again"),
    ("ok_but", "Correct, sans plus", "Fine, nothing more"))
REASONS_HIGH = options(
    ("fast", "Rapidité", "Speed"),
    ("friendly", "Amabilité", "Friendliness"),
    ("first_time", "Résolu du premier coup", "Solved the first time"),
    ("clear", "Explications claires", "Clear explanations"),
    ("informed", "Bien tenu informé", "Kept informed"))
LOST_TIME = options(
    ("none", "Aucun", "None"), ("lt_1h", "Moins d'une heure", "Less than an hour"),
    ("1_4h", "1 à 4 heures", "1 to 4 hours"), ("day", "Environ une journée", "About a day"),
    ("more", "Plus d'une journée", "More than a day"))

#: The theme of a comment that gives each reason.
REASON_THEMES: dict[str, str] = {
    "slow": "slow", "repeat": "repeat", "not_solved": "not_solved", "communication": "unclear",
    "chase": "chase", "not_informed": "not_informed", "bit_long": "bit_long",
    "partly_solved": "partly_solved", "had_to_explain": "repeat", "ok_but": "ok_but",
    "fast": "fast", "friendly": "friendly_tech", "first_time": "first_time", "clear": "clear",
    "informed": "informed",
}


class Category(NamedTuple):
    """A kind of ticket: where it goes, how long it takes, how it is rated."""

    code: str
    label: str  # as the ITSM names it (in French: the group's tool is in French)
    service: str  # catalogue slug (left empty on the ticket when not in the catalogue)
    group: str  # the assignment group of specialists
    weight: float
    hours: float  # median resolution time
    reassigned: float  # chance of at least one reassignment
    effect: float  # on the rating
    prefix: str = "INC"  # incidents; "REQ" for requests


SERVICE_DESK = "Service Desk N1"
PROXIMITY = "Support de proximité"
TICKET_CATEGORIES: tuple[Category, ...] = (
    Category("password", "Mot de passe / compte bloqué", "reinitialisation-mot-de-passe",
             "Identité & accès", 16, 0.4, 0.04, 0.3),
    Category("mfa", "Double authentification", "double-authentification",
             "Identité & accès", 5, 1.5, 0.12, 0.0),
    Category("access", "Demande d'accès à une application", "demande-acces",
             "Identité & accès", 10, 18, 0.3, -0.1, "REQ"),
    Category("vpn", "VPN / connexion à distance", "teletravail-securise", "Réseau",
             9, 5, 0.32, -0.35),
    Category("wifi", "Wifi", "wifi", "Réseau", 4, 6, 0.25, -0.1),
    Category("laptop", "Ordinateur lent ou en panne", "poste-portable", "Poste de travail",
             13, 20, 0.3, -0.2),
    Category("software", "Installation de logiciel", "logiciels", "Poste de travail",
             9, 14, 0.15, 0.1, "REQ"),
    Category("printer", "Impression", "impression", "Poste de travail", 7, 6, 0.2, -0.1),
    Category("phone", "Smartphone", "smartphone-professionnel", "Poste de travail",
             4, 10, 0.2, 0.1),
    Category("mail", "Messagerie et agenda", "messagerie-agenda", SERVICE_DESK, 8, 3, 0.12,
             0.1),
    Category("visio", "Visioconférence", "visioconference", SERVICE_DESK, 3, 3, 0.15, 0.0),
    Category("business_app", "Application métier (ERP, paie, CRM…)", "erp-finance",
             "Applications métier", 7, 40, 0.45, -0.4),
    Category("files", "Fichiers partagés / restauration", "espaces-equipe", SERVICE_DESK,
             3, 8, 0.2, 0.0),
)
#: Most tickets without reassignment are solved by first-line support itself.
FIRST_LINE_SHARE = 0.4
#: How many reassignments a reassigned ticket had (1 to 4), as weights.
REASSIGNMENT_WEIGHTS = (60, 25, 10, 5)
RESOLUTION_SPREAD = 1.0  # sigma of the log-normal resolution time
REASSIGNMENT_DELAY = 0.8  # each reassignment adds 80 % to the resolution time


class Channel(NamedTuple):
    code: str
    weight: float
    effect: float  # on the rating
    speed: float  # × the resolution time
    answer: float  # × the chance to answer


CHANNELS: tuple[Channel, ...] = (
    Channel("portal", 40, 0.0, 1.0, 1.0),
    Channel("phone", 25, 0.25, 0.85, 1.05),
    Channel("email", 17, -0.4, 1.15, 0.9),
    Channel("chat", 12, 0.3, 0.8, 1.05),
    Channel("walk_in", 6, 0.9, 0.6, 1.25),
)
#: The rating: RATING_BASE + effects − RESOLUTION_PENALTY × log2(1 + hours / 4)
#: − REASSIGNMENT_PENALTY × reassignments + noise, rounded into 0–10.
RATING_BASE = 9.6
RESOLUTION_PENALTY = 0.8
REASSIGNMENT_PENALTY = 1.0
RATING_NOISE_TICKETS = 1.5
#: The back-to-school backlog: resolution takes longer in September and October.
MONTH_DELAYS: dict[int, float] = {9: 1.6, 10: 1.25, 8: 1.15}
#: Tickets per day of the week (Monday first), and in the holidays.
WEEKDAY_WEIGHTS = (1.25, 1.1, 1.0, 1.0, 0.9, 0.12, 0.06)
MONTH_WEIGHTS: dict[int, float] = {8: 0.6, 12: 0.8, 7: 0.85}
#: Long resolution: beyond this, "slow" is what a detractor most often says.
LONG_RESOLUTION_HOURS = 24

# --- Comments ----------------------------------------------------------------------------------
# Each theme has sentences in both languages; "{topic}" is what the ticket was about ("mon
# problème de VPN"), "{days}" and "{times}" small numbers. A comment is an opener, one or two
# theme sentences, sometimes a sentence about the topic, and a closer.

THEME_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "slow": {
        "fr": ("Délai de résolution beaucoup trop long pour {topic}.",
               "Il a fallu {days} jours pour régler {topic}, c'est trop long.",
               "Résolution très lente : {days} jours d'attente pour {topic}.",
               "Le délai de traitement est trop long, j'ai attendu {days} jours.",
               "Beaucoup trop d'attente avant la résolution de {topic}.",
               "Les délais de résolution sont trop longs, même pour un problème simple."),
        "en": ("Resolution took far too long for {topic}.",
               "It took {days} days to fix {topic}, which is too long.",
               "Very slow resolution: {days} days of waiting for {topic}.",
               "The resolution time is too long, I waited {days} days.",
               "Far too much waiting before {topic} was resolved.",
               "Resolution times are too long, even for a simple problem."),
    },
    "bit_long": {
        "fr": ("Un peu long pour {topic}, mais c'est réglé.",
               "Résolution correcte mais un peu lente pour {topic}.",
               "Délai un peu long : {days} jours pour {topic}."),
        "en": ("A bit slow for {topic}, but it is resolved.",
               "Fine resolution but a bit slow for {topic}.",
               "A bit long: {days} days for {topic}."),
    },
    "repeat": {
        "fr": ("J'ai dû répéter mon problème {times} fois à des interlocuteurs différents.",
               "Ma demande a été transférée d'équipe en équipe et j'ai dû tout répéter.",
               "À chaque transfert il fallait réexpliquer {topic} depuis le début.",
               "J'ai dû répéter les mêmes informations à chaque nouveau technicien."),
        "en": ("I had to repeat my problem {times} times to different people.",
               "My ticket was passed from team to team and I had to repeat everything.",
               "Each transfer meant explaining {topic} again from the start.",
               "I had to repeat the same information to every new technician."),
    },
    "not_solved": {
        "fr": ("Le problème n'est toujours pas résolu.",
               "Ticket clôturé alors que le problème n'est pas résolu.",
               "On m'a dit que c'était réglé mais le problème revient."),
        "en": ("The problem is still not solved.",
               "The ticket was closed although the problem is not solved.",
               "I was told it was fixed but the problem keeps coming back."),
    },
    "partly_solved": {
        "fr": ("Problème résolu en partie seulement pour {topic}.",
               "Ça marche mieux mais pas complètement."),
        "en": ("Only partly solved for {topic}.", "It works better but not completely."),
    },
    "unclear": {
        "fr": ("Les échanges n'étaient pas clairs, je ne savais pas quoi faire.",
               "Réponses techniques incompréhensibles pour {topic}."),
        "en": ("The messages were unclear, I did not know what to do.",
               "Technical answers I could not understand about {topic}."),
    },
    "chase": {
        "fr": ("J'ai dû relancer {times} fois pour avoir une réponse.",
               "Personne ne répond, il faut relancer sans arrêt.",
               "Sans mes relances, {topic} serait encore en attente.",
               "Difficile de joindre le support, il faut relancer."),
        "en": ("I had to chase {times} times to get an answer.",
               "Nobody answers, you have to chase all the time.",
               "Without my reminders, {topic} would still be waiting.",
               "Support is hard to reach, you have to chase them."),
    },
    "not_informed": {
        "fr": ("Je n'ai pas été tenu informé de l'avancement.",
               "Aucune information sur les coupures ni sur l'avancement de {topic}.",
               "On n'est jamais prévenu des incidents et des interventions."),
        "en": ("I was not kept informed of the progress.",
               "No information about outages or about the progress of {topic}.",
               "We are never told about incidents and planned work."),
    },
    "informed": {
        "fr": ("Bien tenu informé à chaque étape.",
               "Bonne communication sur les incidents, on est prévenu à temps.",
               "Merci pour les messages clairs sur l'avancement de {topic}."),
        "en": ("Kept informed at every step.",
               "Good communication about incidents, we are warned in time.",
               "Thanks for the clear updates on the progress of {topic}."),
    },
    "fast": {
        "fr": ("Résolution rapide de {topic}.", "Réglé en quelques minutes, très rapide.",
               "Intervention rapide et efficace.", "Très rapide, réglé dans l'heure."),
        "en": ("Quick resolution of {topic}.", "Fixed in a few minutes, very quick.",
               "Quick and efficient help.", "Very quick, fixed within the hour."),
    },
    "reachable": {
        "fr": ("Le support est facile à joindre et répond vite.",
               "Réactivité appréciable du support."),
        "en": ("Support is easy to reach and answers quickly.",
               "Support is very responsive."),
    },
    "first_time": {
        "fr": ("Résolu du premier coup, sans transfert.",
               "Réglé dès le premier appel."),
        "en": ("Solved the first time, no transfer.", "Fixed on the first call."),
    },
    "clear": {
        "fr": ("Explications claires, j'ai compris ce qu'il fallait faire.",
               "Le technicien a pris le temps de tout m'expliquer."),
        "en": ("Clear explanations, I understood what to do.",
               "The technician took the time to explain everything to me."),
    },
    "friendly_tech": {
        "fr": ("Technicien très aimable et compétent.",
               "Merci au technicien, sympathique et patient.",
               "Technicien sympa et compétent, qui a réglé {topic} avec le sourire.",
               "Accueil aimable du technicien, très professionnel."),
        "en": ("Very friendly and skilled technician.",
               "Thanks to the technician, friendly and patient.",
               "Friendly, skilled technician who fixed {topic} with a smile.",
               "Friendly welcome from the technician, very professional."),
    },
    "ok_but": {
        "fr": ("Correct, sans plus.", "Le service a fait le travail, rien de plus."),
        "en": ("Fine, nothing more.", "The job was done, nothing more."),
    },
    "old_laptop": {
        "fr": ("Mon ordinateur portable est vieux et très lent, il faudrait le remplacer.",
               "Les vieux PC de l'atelier sont trop lents.",
               "Ordinateur trop lent, il met {times} minutes à démarrer."),
        "en": ("My laptop is old and very slow, it should be replaced.",
               "The old shared computers in the workshop are too slow.",
               "My computer is too slow, it takes {times} minutes to start."),
    },
    "new_laptop": {
        "fr": ("Le nouvel ordinateur portable est bien plus rapide.",
               "Bon matériel, le renouvellement des PC est apprécié."),
        "en": ("The new laptop is much faster.",
               "Good equipment, the laptop renewal is appreciated."),
    },
    "vpn": {
        "fr": ("Le VPN coupe plusieurs fois par jour en télétravail.",
               "Déconnexions VPN fréquentes, impossible de travailler à distance.",
               "Le VPN est lent et décroche sans arrêt."),
        "en": ("The VPN drops several times a day when working from home.",
               "Frequent VPN disconnections, impossible to work remotely.",
               "The VPN is slow and keeps dropping."),
    },
    "password": {
        "fr": ("Trop de réinitialisations de mot de passe, le compte se bloque sans cesse.",
               "Impossible de réinitialiser son mot de passe seul, il faut appeler.",
               "Le portail libre-service pour le mot de passe ne marche pas."),
        "en": ("Too many password resets, the account keeps getting locked.",
               "You cannot reset your password yourself, you have to call.",
               "The self-service password portal does not work."),
    },
    "self_service": {
        "fr": ("Le portail libre-service permet de tout faire seul, c'est pratique.",
               "Réinitialiser son mot de passe seul, c'est un vrai progrès."),
        "en": ("The self-service portal lets you do everything yourself, it is handy.",
               "Resetting your password yourself is real progress."),
    },
    "mfa": {
        "fr": ("La double authentification est pénible, on la demande trop souvent.",
               "Trop de contraintes de sécurité au quotidien."),
        "en": ("Two-factor sign-in is annoying, it is asked too often.",
               "Too many security constraints day to day."),
    },
    "secure": {
        "fr": ("On se sent en sécurité, les alertes de phishing sont utiles.",
               "Bon niveau de sécurité sans trop de contraintes."),
        "en": ("We feel safe, the phishing warnings are useful.",
               "Good security without too many constraints."),
    },
    "no_training": {
        "fr": ("Aucune formation sur les nouveaux outils, on se débrouille seul.",
               "Il manque des formations et des tutoriels."),
        "en": ("No training on the new tools, we are left on our own.",
               "Training and tutorials are missing."),
    },
    "training": {
        "fr": ("Les ateliers de formation sont très utiles.",
               "Bonne formation sur les nouveaux outils, merci."),
        "en": ("The training workshops are very useful.",
               "Good training on the new tools, thank you."),
    },
}

#: What a ticket was about: ``{topic}`` in the theme phrases.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "password": {"fr": ("mon mot de passe", "mon compte bloqué"),
                 "en": ("my password", "my locked account")},
    "mfa": {"fr": ("ma double authentification",), "en": ("my two-factor sign-in",)},
    "access": {"fr": ("ma demande d'accès", "mes droits d'accès"),
               "en": ("my access request", "my access rights")},
    "vpn": {"fr": ("mon problème de VPN", "la connexion VPN"),
            "en": ("my VPN issue", "the VPN connection")},
    "wifi": {"fr": ("le wifi", "mon problème de wifi"), "en": ("the wifi", "my wifi issue")},
    "laptop": {"fr": ("mon ordinateur", "mon PC portable"), "en": ("my laptop", "my computer")},
    "software": {"fr": ("l'installation du logiciel", "ma demande de logiciel"),
                 "en": ("the software installation", "my software request")},
    "printer": {"fr": ("l'imprimante", "mon problème d'impression"),
                "en": ("the printer", "my printing issue")},
    "phone": {"fr": ("mon smartphone",), "en": ("my phone",)},
    "mail": {"fr": ("ma messagerie", "mon agenda"), "en": ("my mailbox", "my calendar")},
    "visio": {"fr": ("la visioconférence",), "en": ("the video call",)},
    "business_app": {"fr": ("l'application métier", "l'ERP"),
                     "en": ("the business application", "the ERP")},
    "files": {"fr": ("mes fichiers", "la restauration de mes fichiers"),
              "en": ("my files", "restoring my files")},
    "": {"fr": ("mes demandes", "mon problème"), "en": ("my requests", "my problem")},
}

#: The theme a ticket's topic adds to a comment, when the rating is low.
TOPIC_THEMES: dict[str, str] = {"password": "password", "vpn": "vpn", "laptop": "old_laptop",
                                "mfa": "mfa"}

OPENERS: dict[str, dict[str, tuple[str, ...]]] = {
    "low": {"fr": ("", "", "Déçu.", "Franchement pas satisfait.", "Expérience décevante.",
                   "Pas terrible."),
            "en": ("", "", "Disappointed.", "Honestly not satisfied.",
                   "A disappointing experience.", "Not great.")},
    "mid": {"fr": ("", "", "Dans l'ensemble correct.", "Plutôt bien."),
            "en": ("", "", "Fine overall.", "Rather good.")},
    "high": {"fr": ("", "", "Parfait !", "Très satisfait.", "Top !", "Rien à redire."),
             "en": ("", "", "Perfect!", "Very satisfied.", "Great!", "Nothing to add.")},
}
CLOSERS: dict[str, dict[str, tuple[str, ...]]] = {
    "low": {"fr": ("", "", "À améliorer d'urgence.", "C'est devenu pénible au quotidien.",
                   "Merci d'en tenir compte."),
            "en": ("", "", "Needs to improve urgently.", "It has become a daily pain.",
                   "Please take this into account.")},
    "mid": {"fr": ("", "", "Peut mieux faire.", "Merci quand même."),
            "en": ("", "", "Could do better.", "Thanks anyway.")},
    "high": {"fr": ("", "", "Merci beaucoup !", "Continuez comme ça.", "Bravo à l'équipe."),
             "en": ("", "", "Thanks a lot!", "Keep it up.", "Well done to the team.")},
}
