"""The demo group as plain data: units, sites, job families and name lists.

Nothing here touches the database; :mod:`phare.directory.demo` turns it into rows. Later demo
steps may import these codes (``"DSI"``, ``"VEN-FR"``…) to find the units and sites they need.

Weights are relative, not percentages. A sub-unit inherits its parent's ``sites`` and
``families`` unless it names its own, so a new sub-unit needs only a code, a name and a weight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

GROUP_NAME = "Maréval Industries"
GROUP_DOMAIN = "mareval-industries.com"


@dataclass(frozen=True)
class SiteSpec:
    """A site; ``english`` is the share of English speakers, ``pools`` the name lists used there
    for French speakers and for English speakers (see ``NAME_POOLS``)."""

    code: str
    name: str
    city: str
    country: str
    english: float
    pools: tuple[str, str] = ("fr", "en")


@dataclass(frozen=True)
class UnitSpec:
    """A business unit. ``weight`` is its share of the staff (leaf units only); ``sites`` and
    ``families`` weigh where its people work and what they do (inherited when empty)."""

    code: str
    name: str
    weight: float = 0.0
    sites: Mapping[str, float] = field(default_factory=dict)
    families: Mapping[str, float] = field(default_factory=dict)
    children: tuple[UnitSpec, ...] = ()


SITES: tuple[SiteSpec, ...] = (
    SiteSpec("PAR", "Paris La Défense (siège)", "Paris", "FR", 0.07),
    SiteSpec("LYO", "Lyon Part-Dieu", "Lyon", "FR", 0.04),
    SiteSpec("TLS", "Toulouse Blagnac (centre R&D)", "Blagnac", "FR", 0.08),
    SiteSpec("LIL", "Lille Euralille", "Lille", "FR", 0.02),
    SiteSpec("NTE", "Nantes Île de Nantes", "Nantes", "FR", 0.02),
    SiteSpec("BDX", "Bordeaux Mériadeck", "Bordeaux", "FR", 0.02),
    SiteSpec("VAL", "Usine de Valenciennes", "Valenciennes", "FR", 0.02),
    SiteSpec("STE", "Usine de Saint-Étienne", "Saint-Étienne", "FR", 0.02),
    SiteSpec("ORL", "Plateforme logistique d'Orléans", "Saran", "FR", 0.02),
    SiteSpec("BRU", "Bruxelles", "Bruxelles", "BE", 0.35, ("be_fr", "be_nl")),
    SiteSpec("BCN", "Barcelona", "Barcelona", "ES", 0.85, ("es", "es")),
    SiteSpec("MTL", "Montréal", "Montréal", "CA", 0.40, ("qc", "en")),
    # French speakers in Shanghai are mostly expatriates, hence French names.
    SiteSpec("SHA", "Shanghai", "Shanghai", "CN", 0.95, ("fr", "zh")),
)

JOB_FAMILIES: tuple[tuple[str, str], ...] = (
    ("MGT", "Management"),
    ("FIN", "Finance & contrôle"),
    ("RH", "Ressources humaines"),
    ("COM", "Commercial"),
    ("MKT", "Marketing & communication"),
    ("PROD", "Production & maintenance"),
    ("QHSE", "Qualité, hygiène, sécurité & environnement"),
    ("SCM", "Supply chain"),
    ("ING", "Ingénierie & R&D"),
    ("JUR", "Juridique"),
    ("IT", "Informatique"),
    ("ASS", "Assistanat"),
)

#: Unit heads belong to this family; everyone else draws from their unit's ``families``.
HEAD_FAMILY = "MGT"

_FRENCH_TOWNS = {"PAR": 22, "LYO": 18, "LIL": 14, "NTE": 14, "BDX": 14, "TLS": 12}

#: The first unit is the Direction générale: its head is the group's CEO.
UNITS: tuple[UnitSpec, ...] = (
    UnitSpec(
        "DG", "Direction générale",
        sites={"PAR": 100}, families={"MGT": 40, "ASS": 35, "FIN": 10, "MKT": 15},
        children=(
            UnitSpec(
                "DSI", "Direction des systèmes d'information",
                sites={"PAR": 75, "LYO": 15, "LIL": 10}, families={"IT": 92, "ASS": 4, "MGT": 4},
                children=(
                    UnitSpec("DSI-INFRA", "Infrastructure & Cloud", 9),
                    UnitSpec("DSI-APP", "Applications métier", 11),
                    UnitSpec(
                        "DSI-SUP", "Support & Services aux utilisateurs", 8,
                        # Proximity support sits where the users are, plants included.
                        sites={"PAR": 30, "LYO": 10, "TLS": 8, "LIL": 8, "NTE": 6, "BDX": 6,
                               "VAL": 10, "STE": 10, "ORL": 6, "BRU": 2, "BCN": 2, "MTL": 2},
                    ),
                    UnitSpec("DSI-CYB", "Cybersécurité", 3),
                    UnitSpec(
                        "DSI-MKT", "Marketing & Communication DSI", 0.6,
                        sites={"PAR": 100}, families={"MKT": 75, "IT": 25},
                    ),
                ),
            ),
            UnitSpec("DG-STRAT", "Stratégie & Transformation", 3,
                     families={"MGT": 55, "FIN": 20, "ING": 10, "ASS": 15}),
            UnitSpec("DG-COM", "Communication & Affaires publiques", 3,
                     families={"MKT": 80, "ASS": 20}),
        ),
    ),
    UnitSpec(
        "FIN", "Finance",
        sites={"PAR": 70, "LYO": 20, "LIL": 10}, families={"FIN": 88, "ASS": 12},
        children=(
            UnitSpec("FIN-CPT", "Comptabilité", 14),
            UnitSpec("FIN-CDG", "Contrôle de gestion", 10),
            UnitSpec("FIN-TRE", "Trésorerie & Fiscalité", 4),
            UnitSpec("FIN-ACH", "Achats", 14,
                     sites={"PAR": 40, "LYO": 20, "VAL": 15, "STE": 15, "SHA": 10},
                     families={"FIN": 50, "SCM": 40, "ASS": 10}),
        ),
    ),
    UnitSpec(
        "RH", "Ressources humaines",
        sites={"PAR": 50, "LYO": 12, "VAL": 12, "STE": 12, "ORL": 8, "TLS": 6},
        families={"RH": 88, "ASS": 12},
        children=(
            UnitSpec("RH-REC", "Recrutement & Mobilité", 7),
            UnitSpec("RH-PAIE", "Paie & Administration du personnel", 9),
            UnitSpec("RH-FOR", "Formation & Développement des compétences", 6),
            UnitSpec("RH-RS", "Relations sociales", 3, sites={"PAR": 60, "VAL": 20, "STE": 20}),
        ),
    ),
    UnitSpec(
        "VEN", "Ventes",
        sites={"PAR": 100}, families={"COM": 85, "MKT": 7, "ASS": 8},
        children=(
            UnitSpec("VEN-FR", "Ventes France", 60, sites=_FRENCH_TOWNS),
            UnitSpec("VEN-INT", "Ventes internationales", 70,
                     sites={"BRU": 24, "BCN": 24, "MTL": 24, "SHA": 24, "PAR": 4}),
            UnitSpec("VEN-GC", "Grands comptes", 20, sites={"PAR": 70, "LYO": 15, "BRU": 15}),
            UnitSpec("VEN-ADV", "Administration des ventes", 20,
                     sites={"PAR": 40, "LYO": 30, "NTE": 30}, families={"COM": 55, "ASS": 45}),
        ),
    ),
    UnitSpec(
        "PROD", "Production",
        sites={"VAL": 52, "STE": 44, "SHA": 4},
        families={"PROD": 85, "ING": 5, "QHSE": 5, "ASS": 5},
        children=(
            UnitSpec("PROD-FAB", "Fabrication", 300),
            UnitSpec("PROD-MAI", "Maintenance industrielle", 60),
            UnitSpec("PROD-QUA", "Qualité", 35, families={"QHSE": 80, "PROD": 15, "ASS": 5}),
            UnitSpec("PROD-HSE", "Hygiène, sécurité & environnement", 12,
                     families={"QHSE": 90, "ASS": 10}),
        ),
    ),
    UnitSpec(
        "LOG", "Logistique",
        sites={"ORL": 62, "VAL": 12, "STE": 12, "BCN": 6, "MTL": 6, "SHA": 2},
        families={"SCM": 90, "PROD": 4, "ASS": 6},
        children=(
            UnitSpec("LOG-ENT", "Entreposage", 110),
            UnitSpec("LOG-TRA", "Transport & Distribution", 50),
            UnitSpec("LOG-APP", "Approvisionnement", 30),
        ),
    ),
    UnitSpec(
        "RD", "R&D",
        sites={"TLS": 65, "LYO": 20, "PAR": 15}, families={"ING": 88, "IT": 5, "ASS": 7},
        children=(
            UnitSpec("RD-ING", "Ingénierie produit", 50),
            UnitSpec("RD-INN", "Innovation & Prototypage", 20),
            UnitSpec("RD-ESS", "Laboratoire d'essais", 18, sites={"TLS": 50, "STE": 30, "VAL": 20}),
        ),
    ),
    UnitSpec(
        "JUR", "Juridique",
        sites={"PAR": 90, "BRU": 10}, families={"JUR": 85, "ASS": 15},
        children=(
            UnitSpec("JUR-AFF", "Droit des affaires", 5),
            UnitSpec("JUR-CONF", "Conformité & Éthique", 3),
            UnitSpec("JUR-PI", "Propriété intellectuelle", 2),
        ),
    ),
)

#: Heads whose name is fixed, so demos and docs can speak of them: unit code → (first, last).
PINNED_HEADS: dict[str, tuple[str, str]] = {
    "DG": ("Philippe", "Garnier"),
    "DSI": ("Stéphane", "Lefèvre"),
    "DSI-MKT": ("Hélène", "Marchand"),
}

_FRENCH_FIRST = (
    "Adèle", "Agnès", "Alain", "Alexandre", "Alexis", "Alice", "Amandine", "Amélie", "Anaïs",
    "André", "Anne", "Anne-Sophie", "Antoine", "Arnaud", "Audrey", "Aurélie", "Aurélien",
    "Bastien", "Baptiste", "Benoît", "Bernard", "Brigitte", "Bruno", "Camille", "Caroline",
    "Catherine", "Cécile", "Céline", "Charlotte", "Chloé", "Christelle", "Christian",
    "Christine", "Christophe", "Claire", "Claude", "Clémence", "Clément", "Corinne", "Damien",
    "Daniel", "David", "Delphine", "Denis", "Didier", "Dominique", "Élodie", "Éloïse", "Émilie",
    "Emma", "Emmanuel", "Éric", "Estelle", "Étienne", "Fabien", "Fabrice", "Florence",
    "Florian", "France", "Francis", "François", "Françoise", "Frédéric", "Gaëlle", "Gaëtan",
    "Géraldine", "Gérard", "Gilles", "Grégory", "Guillaume", "Hélène", "Henri", "Hervé",
    "Hugo", "Inès", "Isabelle", "Jacques", "Jean", "Jean-Baptiste", "Jean-Luc", "Jean-Marc",
    "Jean-Pierre", "Jérémy", "Jérôme", "Joël", "Josiane", "Julie", "Julien", "Justine",
    "Karine", "Laetitia", "Laure", "Laurence", "Laurent", "Léa", "Léon", "Loïc", "Louis",
    "Louise", "Lucas", "Lucie", "Ludovic", "Manon", "Marc", "Margaux", "Marie", "Marie-Claire",
    "Marion", "Martine", "Mathieu", "Mathilde", "Maxime", "Mélanie", "Michel", "Mickaël",
    "Nathalie", "Nicolas", "Noémie", "Océane", "Olivier", "Pascal", "Pascale", "Patricia",
    "Patrick", "Pauline", "Philippe", "Pierre", "Quentin", "Raphaël", "Rémi", "Renée",
    "Romain", "Sabine", "Samuel", "Sandrine", "Sébastien", "Serge", "Séverine", "Simon",
    "Solène", "Sophie", "Stéphane", "Stéphanie", "Sylvain", "Sylvie", "Théo", "Thierry",
    "Thomas", "Valérie", "Vanessa", "Véronique", "Vincent", "Virginie", "Xavier", "Yannick",
    "Yves", "Zoé",
)

_FRENCH_LAST = (
    "Adam", "André", "Arnaud", "Aubert", "Barbier", "Baron", "Benoît", "Bernard", "Bertin",
    "Bertrand", "Blanc", "Blanchard", "Bonnet", "Boucher", "Bouvier", "Boyer", "Brun", "Brunet",
    "Caron", "Carpentier", "Carré", "Chevalier", "Clément", "Colin", "Collet", "Cordier",
    "Cousin", "Da Silva", "David", "Delmas", "Denis", "Deschamps", "Dubois", "Dufour",
    "Dumas", "Dumont", "Dupont", "Dupuis", "Durand", "Duval", "Étienne", "Fabre", "Faure",
    "Fleury", "Fontaine", "Fournier", "François", "Gaillard", "Garcia", "Garnier", "Gauthier",
    "Gautier", "Gérard", "Germain", "Giraud", "Girard", "Guérin", "Guillaume", "Guillot",
    "Hamon", "Henry", "Hoarau", "Hubert", "Huet", "Jacob", "Joly", "Jourdan", "Julien",
    "Labbé", "Lacroix", "Lambert", "Laurent", "Lebrun", "Leclerc", "Leclercq", "Lecomte",
    "Lefèbvre", "Lefèvre", "Le Gall", "Léger", "Legrand", "Le Goff", "Lemaire", "Lemaître",
    "Leroy", "Lesage", "Lévêque", "Lucas", "Marchal", "Marchand", "Marie", "Martin",
    "Martinez", "Masson", "Mathieu", "Mercier", "Meunier", "Meyer", "Michel", "Millet",
    "Moreau", "Morel", "Morin", "Muller", "N'Diaye", "Nicolas", "Noël", "Olivier", "Paris",
    "Pelletier", "Perrin", "Petit", "Picard", "Pierre", "Poirier", "Prévost", "Renard",
    "Renaud", "Rey", "Richard", "Rivière", "Robert", "Robin", "Roche", "Roger", "Rousseau",
    "Roussel", "Roux", "Roy", "Schmitt", "Simon", "Thomas", "Vasseur", "Vidal", "Vincent",
    "Weber",
)

_ENGLISH_FIRST = (
    "Alice", "Amelia", "Andrew", "Ben", "Charlotte", "Chloe", "Daniel", "David", "Emily",
    "Emma", "George", "Grace", "Hannah", "Harry", "Jack", "James", "Jessica", "John", "Kate",
    "Laura", "Liam", "Lucy", "Mark", "Matthew", "Michael", "Olivia", "Oliver", "Rachel",
    "Rebecca", "Richard", "Ryan", "Sarah", "Sophie", "Thomas", "William",
)
_ENGLISH_LAST = (
    "Allen", "Baker", "Brown", "Campbell", "Clarke", "Cooper", "Davies", "Evans", "Green",
    "Hall", "Harris", "Hughes", "Jackson", "Johnson", "Jones", "King", "Lewis", "Martin",
    "Miller", "Mitchell", "Moore", "Murphy", "O'Brien", "Parker", "Robinson", "Scott",
    "Smith", "Taylor", "Thompson", "Turner", "Walker", "White", "Williams", "Wilson", "Wright",
)
_SPANISH_FIRST = (
    "Alejandro", "Ana", "Carlos", "Carmen", "Cristina", "David", "Elena", "Javier", "Jordi",
    "José", "Laura", "Lucía", "Manuel", "María", "Marta", "Miguel", "Montserrat", "Núria",
    "Pablo", "Pau", "Raquel", "Sergio", "Sofía",
)
_SPANISH_LAST = (
    "Castillo", "Fernández", "Ferrer", "García", "Gómez", "González", "Hernández", "Jiménez",
    "López", "Martín", "Martínez", "Moreno", "Muñoz", "Navarro", "Pérez", "Puig", "Romero",
    "Ruiz", "Sánchez", "Serra", "Torres", "Vidal",
)
_BELGIAN_FRENCH_LAST = (
    "Collard", "Delvaux", "Dubois", "Dupont", "Goffin", "Hermans", "Lambert", "Laurent",
    "Lejeune", "Leclercq", "Martin", "Renard", "Simon", "Wauters",
)
_FLEMISH_FIRST = (
    "Annelies", "Bram", "Els", "Ine", "Jan", "Jef", "Joke", "Koen", "Lotte", "Pieter",
    "Sofie", "Stijn", "Tom", "Wout",
)
_FLEMISH_LAST = (
    "Claes", "De Smet", "Goossens", "Jacobs", "Janssens", "Maes", "Mertens", "Peeters",
    "Van den Broeck", "Wouters", "Willems",
)
_QUEBEC_FIRST = (
    "Catherine", "Étienne", "Félix", "Gabriel", "Geneviève", "Jean-François", "Josée",
    "Marie-Ève", "Mathieu", "Maxime", "Olivier", "Simon", "Sylvie", "Véronique",
)
_QUEBEC_LAST = (
    "Bélanger", "Bergeron", "Bouchard", "Côté", "Fortin", "Gagné", "Gagnon", "Gauthier",
    "Lavoie", "Lévesque", "Morin", "Ouellet", "Pelletier", "Roy", "Tremblay",
)
_CHINESE_FIRST = (
    "Fang", "Hao", "Hui", "Jie", "Jing", "Jun", "Lei", "Li Na", "Min", "Ming", "Ping", "Qiang",
    "Tao", "Wei", "Xiaoling", "Xin", "Yan", "Yang", "Ying", "Yu",
)
_CHINESE_LAST = (
    "Chen", "Gao", "Guo", "He", "Hu", "Huang", "Li", "Lin", "Liu", "Luo", "Ma", "Sun", "Wang",
    "Wu", "Xu", "Yang", "Zhang", "Zhao", "Zhou", "Zhu",
)

#: Name lists by pool: pool → (first names, last names).
NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fr": (_FRENCH_FIRST, _FRENCH_LAST),
    "en": (_ENGLISH_FIRST, _ENGLISH_LAST),
    "es": (_SPANISH_FIRST, _SPANISH_LAST),
    "be_fr": (_FRENCH_FIRST, _BELGIAN_FRENCH_LAST),
    "be_nl": (_FLEMISH_FIRST, _FLEMISH_LAST),
    "qc": (_QUEBEC_FIRST, _QUEBEC_LAST),
    "zh": (_CHINESE_FIRST, _CHINESE_LAST),
}
