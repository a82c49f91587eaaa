"""What the demo's marketing lead writes from the results: the persona cards, the
positioning statements (published and draft), the benchmarks with their source and date."""

from __future__ import annotations

from dataclasses import dataclass

from phare.positioning.demo_data import SUPPORT

Text = tuple[str, str]


@dataclass(frozen=True)
class PersonaCard:
    """The card the lead writes for the segment that matches ``attitude``."""

    attitude: str
    name: Text
    summary: Text
    goals: Text
    frustrations: Text
    channels: tuple[str, ...]


PERSONAS: tuple[PersonaCard, ...] = (
    PersonaCard(
        "loyal", ("Claire, la gardienne", "Claire, the guardian"),
        ("Au siège depuis longtemps, elle manipule des données sensibles et passe par la DSI "
         "par principe.", "At head office for years, she handles sensitive data and goes "
         "through IT on principle."),
        ("Travailler en sécurité ; des outils fiables ; ne pas avoir à se poser de questions.",
         "Work safely; reliable tools; not having to think about it."),
        ("Les délais des demandes ; les nouveautés annoncées sans accompagnement.",
         "Request lead times; new tools announced without support."),
        ("email", "portal")),
    PersonaCard(
        "fast", ("Karim, le pressé", "Karim, in a hurry"),
        ("Commercial ou ingénieur, à l'aise avec le numérique, il achète en ligne l'outil qu'il "
         "lui faut quand la DSI tarde.", "A salesperson or engineer at ease with digital "
         "tools, he buys what he needs online when IT is slow."),
        ("Aller vite ; essayer des outils nouveaux (IA) ; se débrouiller sans ticket.",
         "Move fast; try new tools (AI); get things done without a ticket."),
        ("Les validations en cascade ; des applications internes compliquées.",
         "Cascading approvals; complicated internal applications."),
        ("webhook", "event")),
    PersonaCard(
        "floor", ("Sylvie, du terrain", "Sylvie, on the shop floor"),
        ("En usine ou en entrepôt, souvent en horaires décalés, sans poste à elle : le "
         "référent de l'équipe est son support.", "In a plant or warehouse, often on shifts, "
         "with no computer of her own: the team's power user is her support."),
        ("Que ça marche quand la ligne tourne ; de l'aide sur place ; des outils sur le "
         "téléphone.", "That things work while the line runs; help on site; tools on the "
         "phone."),
        ("Un support injoignable la nuit ; des applications pensées pour le bureau.",
         "Support unreachable at night; applications designed for the office."),
        ("print", "event")),
    PersonaCard(
        "cost", ("Marc, le gestionnaire", "Marc, the budget holder"),
        ("Manager d'un service support, il compare la refacturation de la DSI aux devis des "
         "prestataires.", "Managing a support function, he compares IT's internal charges "
         "with suppliers' quotes."),
        ("Payer le juste prix ; une offre adaptée au métier ; comprendre ce qu'il paie.",
         "Pay a fair price; an offer that fits the job; understand what he pays for."),
        ("Des licences payées et inutilisées ; une refacturation opaque.",
         "Licences paid for and unused; opaque internal charges."),
        ("email", "event")),
)
#: The persona turned into a comms audience.
AUDIENCE_PERSONA = "floor"

#: Each part is written to follow the statement's connectors ("For … who …, … that …, unlike
#: …, because …": ``outputs/_sentence.html``), without repeating them.
STATEMENT_PUBLISHED: dict[str, Text] = {
    "audience": ("les collaborateurs de Maréval", "Maréval employees"),
    "need": ("manipulent des données de l'entreprise et ont besoin d'outils fiables et sûrs",
             "handle the company's data and need reliable, safe tools"),
    "offer": ("la DSI propose un catalogue de services gérés, accompagnés et intégrés",
              "the IT department offers a catalogue of managed, supported, integrated services"),
    "benefit": ("protège leurs données et fonctionne quand ils en ont besoin",
                "protects their data and works when they need it"),
    "unlike": ("l'usage d'outils grand public et de SaaS achetés sans la DSI",
               "consumer tools and SaaS bought without the IT department"),
    "proof": ("nos utilisateurs nous placent en tête sur la sécurité, la fiabilité et la "
              "protection des données",
              "our users rank us first on security, reliability and data protection"),
}
#: The newer draft: the same promise, with speed added (what the gaps say to work on).
STATEMENT_DRAFT: dict[str, Text] = {
    **STATEMENT_PUBLISHED,
    "benefit": ("protège leurs données, fonctionne quand ils en ont besoin et se met en place "
                "en quelques jours",
                "protects their data, works when they need it and is ready within days"),
    "proof": ("nos utilisateurs nous placent en tête sur la sécurité et la fiabilité, et nos "
              "délais de mise à disposition sont publiés chaque mois",
              "our users rank us first on security and reliability, and our lead times are "
              "published every month"),
}

#: The collaboration family's promise (published; no draft).
FAMILY_STATEMENT: dict[str, Text] = {
    "audience": ("les équipes de Maréval", "Maréval teams"),
    "need": ("travaillent avec des collègues et des partenaires et ont besoin de se réunir, "
             "d'écrire et de partager des fichiers sans friction",
             "work with colleagues and partners and need to meet, write and share files "
             "without friction"),
    "offer": ("la DSI fournit Teams, les espaces d'équipe et l'envoi de fichiers volumineux",
              "the IT department provides Teams, team spaces and large-file sending"),
    "benefit": ("relient tout le monde, au bureau comme en atelier, avec des fichiers qui "
                "restent dans le groupe",
                "connect everyone, in the office or on the shop floor, with files that stay "
                "in the group"),
    "unlike": ("l'envoi par WeTransfer, Dropbox ou WhatsApp sur des comptes personnels",
               "sending through WeTransfer, Dropbox or WhatsApp on personal accounts"),
    "proof": ("nos utilisateurs jugent nos outils plus sûrs et plus fiables que leurs "
              "alternatives",
              "our users rate our tools safer and more reliable than their alternatives"),
}


@dataclass(frozen=True)
class BenchmarkSpec:
    """A published figure: HappySignals' happiness is computed like an NPS (−100 to +100).
    ``as_of``: the last day of the period the report covers (its exact publication day is not
    printed in the report)."""

    label: Text
    value: str
    unit: str
    attribute: str
    source: str
    source_url: str
    as_of: tuple[int, int, int]


BENCHMARKS: tuple[BenchmarkSpec, ...] = (
    BenchmarkSpec(
        ("Bonheur des utilisateurs après un incident informatique (score façon NPS)",
         "End-user happiness after an IT incident (NPS-style score)"),
        "67", "", SUPPORT,
        "HappySignals, Happiness Score™ — The ITSM Benchmark Q4 2019 (298,339 responses "
        "about IT incidents, May to November 2019)",
        "https://www.happysignals.com/global-it-experience-benchmark", (2019, 11, 30)),
    BenchmarkSpec(
        ("Bonheur moyen des utilisateurs avec l'informatique (score façon NPS)",
         "Average end-user happiness with IT (NPS-style score)"),
        "76", "", "",
        "HappySignals, The Global IT Experience Benchmark H1/2021 (end-user responses, "
        "January to June 2021)",
        "https://www.happysignals.com/blog/happiness-score-what-would-be-a-good-score-for-your-"
        "company", (2021, 6, 30)),
)
