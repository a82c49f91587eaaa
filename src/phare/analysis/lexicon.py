"""A shared French–English vocabulary of what IT users write about, so that a comment in
English and one in French on the same subject share their terms (:mod:`phare.analysis.themes`).

Each pair is (English, French) in their usual written form; words are compared by their
Snowball stems, so "laptops" meets "portables". Cognates ("connexion"/"connection",
"technicien"/"technician") need no entry: the themes link them by their letters. The pairs
cover the subjects of an IT department's surveys and ticket comments: equipment, access,
the service desk, delays, communication, training, security, remote work.
"""

from __future__ import annotations

PAIRS: tuple[tuple[str, str], ...] = (
    # Equipment and software
    ("laptop", "portable"), ("computer", "ordinateur"), ("screen", "écran"),
    ("monitor", "écran"), ("printer", "imprimante"), ("printing", "impression"),
    ("keyboard", "clavier"), ("mouse", "souris"), ("phone", "téléphone"),
    ("headset", "casque"), ("equipment", "matériel"), ("hardware", "matériel"),
    ("tool", "outil"), ("software", "logiciel"), ("application", "application"),
    ("renewal", "renouvellement"), ("upgrade", "renouvellement"), ("update", "mise"),
    ("workshop", "atelier"), ("battery", "batterie"), ("network", "réseau"),
    ("storage", "stockage"), ("file", "fichier"), ("folder", "dossier"),
    ("meeting", "réunion"), ("room", "salle"), ("video", "visio"),
    ("mailbox", "messagerie"), ("email", "messagerie"),
    # Access and accounts
    ("password", "passe"), ("account", "compte"), ("locked", "bloqué"),
    ("unlock", "débloquer"), ("reset", "réinitialiser"), ("access", "accès"),
    ("rights", "droits"), ("sign-in", "authentification"), ("login", "connexion"),
    ("two-factor", "double"), ("self-service", "libre-service"), ("portal", "portail"),
    # The service desk
    ("technician", "technicien"), ("helpdesk", "support"), ("desk", "support"),
    ("request", "demande"), ("ticket", "ticket"), ("call", "appel"), ("answer", "réponse"),
    ("reply", "réponse"), ("reach", "joindre"), ("chase", "relancer"),
    ("reminder", "relance"), ("transfer", "transfert"), ("repeat", "répéter"),
    ("explain", "expliquer"), ("explanation", "explication"), ("friendly", "aimable"),
    ("kind", "aimable"), ("patient", "patient"), ("skilled", "compétent"),
    ("competent", "compétent"), ("helpful", "utile"), ("useful", "utile"),
    ("handy", "pratique"), ("professional", "professionnel"), ("welcome", "accueil"),
    # Delays and resolution
    ("slow", "lent"), ("quick", "rapide"), ("fast", "rapide"), ("faster", "rapide"),
    ("wait", "attente"), ("waiting", "attente"), ("delay", "délai"), ("long", "long"),
    ("fix", "régler"), ("fixed", "réglé"), ("solve", "résoudre"), ("solved", "résolu"),
    ("resolve", "résoudre"), ("resolved", "résolu"), ("resolution", "résolution"),
    ("problem", "problème"), ("issue", "problème"), ("outage", "coupure"),
    ("drop", "décroche"), ("dropping", "décroche"), ("disconnection", "déconnexion"),
    ("broken", "panne"), ("failure", "panne"), ("crash", "plante"),
    # Communication
    ("informed", "informé"), ("information", "information"), ("update", "avancement"),
    ("progress", "avancement"), ("message", "message"), ("warned", "prévenu"),
    ("warning", "alerte"), ("news", "nouvelles"), ("clear", "clair"),
    ("unclear", "clair"), ("step", "étape"),
    # Training and security
    ("training", "formation"), ("tutorial", "tutoriel"), ("guide", "guide"),
    ("security", "sécurité"), ("safe", "sécurité"), ("secure", "sécurité"),
    ("constraint", "contrainte"), ("phishing", "phishing"),
    # Remote work
    ("remote", "distance"), ("remotely", "distance"), ("home", "domicile"),
    ("wifi", "wifi"), ("connection", "connexion"),
)
