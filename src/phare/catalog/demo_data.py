"""The demo catalogue as plain data: offer families, hand-written services, generator word lists.

Nothing here touches the database; :mod:`phare.catalog.demo` turns it into rows. Texts are pairs
``(French, English)``; descriptions, "how to get it", FAQ answers and news are Markdown. News
entries are dated in days before ``REFERENCE_DATE`` — a fixed date, so every build is the same.

A service names the IT team whose people own it (``team``, a unit code of the IT department);
``demo_owner`` makes the demo "owner" login its owner (or deputy), so that account has services
in every publication state to work on. ``replacement`` and ``related`` are slugs of this list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import zip_longest
from typing import NamedTuple

REFERENCE_DATE = dt.date(2026, 11, 2)
SERVICE_DESK = "https://servicedesk.mareval-industries.com"
INTRANET = "https://intranet.mareval-industries.com"

# Commitment units, as in ``phare.catalog.models.Commitment.Unit``.
PCT, HOURS, DAYS, MINUTES = "percent", "hours", "business_days", "minutes"
# Cost units and charging, as in ``phare.catalog.models.Service``.
NONE, USER_MONTH, REQUEST = "none", "user_month", "request"
INCLUDED, CHARGED = "included", "charged_back"

Pair = tuple[str, str]


class FamilySpec(NamedTuple):
    code: str
    name: Pair
    description: Pair


class CommitmentSpec(NamedTuple):
    text_fr: str
    text_en: str
    target: str
    unit: str = PCT


class FaqSpec(NamedTuple):
    question_fr: str
    question_en: str
    answer_fr: str
    answer_en: str


class NewsSpec(NamedTuple):
    days_ago: int
    title_fr: str
    title_en: str
    body_fr: str = ""
    body_en: str = ""


class Cost(NamedTuple):
    unit: str
    unit_cost: str
    charging: str
    annual_run_cost: str


@dataclass(frozen=True)
class ServiceSpec:
    """A hand-written service of the demo catalogue."""

    slug: str
    family: str
    team: str
    name: Pair
    promise: Pair
    description: Pair
    how_to_get: Pair
    keywords: str
    cost: Cost
    commitments: tuple[CommitmentSpec, ...] = ()
    faqs: tuple[FaqSpec, ...] = ()
    news: tuple[NewsSpec, ...] = ()
    related: tuple[str, ...] = ()
    lifecycle: str = "live"
    publication: str = "published"
    replacement: str = ""
    units: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    job_families: tuple[str, ...] = ()
    demo_owner: str = ""  # "owner" or "deputy": the demo owner login's role on this service

    @property
    def request_url(self) -> str:
        return f"{SERVICE_DESK}/demande/{self.slug}"


FAMILIES: tuple[FamilySpec, ...] = (
    FamilySpec("remote", ("Travailler à distance", "Working remotely"),
               ("Se connecter, s'équiper et rester efficace hors du bureau.",
                "Connect, equip yourself and stay efficient away from the office.")),
    FamilySpec("collab", ("Collaborer", "Collaborating"),
               ("Écrire, se réunir et partager avec ses collègues et ses partenaires.",
                "Write, meet and share with colleagues and partners.")),
    FamilySpec("devices", ("Postes et mobiles", "Computers and phones"),
               ("Ordinateurs, téléphones, imprimantes et logiciels de tous les jours.",
                "Computers, phones, printers and everyday software.")),
    FamilySpec("data", ("Données et décisions", "Data and decisions"),
               ("Des chiffres fiables pour piloter l'activité et décider.",
                "Reliable figures to steer the business and decide.")),
    FamilySpec("business", ("Applications métier", "Business applications"),
               ("Les applications de la finance, de la production, des ventes, des RH et du "
                "juridique.",
                "The applications of finance, production, sales, HR and legal.")),
    FamilySpec("security", ("Sécurité", "Security"),
               ("Protéger vos comptes, vos données et celles du groupe.",
                "Protect your accounts, your data and the group's.")),
    FamilySpec("support", ("Assistance", "Support"),
               ("De l'aide quand quelque chose ne marche pas, et pour bien démarrer.",
                "Help when something does not work, and to get off to a good start.")),
)


# --- Travailler à distance / Working remotely ---

_REMOTE: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "teletravail-securise", "remote", "DSI-INFRA",
        name=("Travailler de chez soi en toute sécurité", "Working from home securely"),
        promise=("Retrouvez vos applications et vos fichiers depuis chez vous comme au bureau.",
                 "Reach your applications and files from home just as in the office."),
        description=(
            "Le **VPN du groupe** relie votre ordinateur portable au réseau de Maréval dès "
            "que vous êtes connecté à Internet : à la maison, à l'hôtel ou chez un client.\n\n"
            "Une fois connecté, vous utilisez vos applications, vos lecteurs partagés et "
            "l'intranet exactement comme sur site.\n\n"
            "- Connexion automatique au démarrage du poste\n"
            "- Double authentification par l'application Authenticator\n"
            "- Fonctionne aussi sur une connexion 4G partagée depuis votre smartphone\n\n"
            "Les règles du télétravail sont rappelées dans le "
            f"[guide du télétravail]({INTRANET}/rh/teletravail).",
            "The **group VPN** connects your laptop to the Maréval network as soon as you "
            "are online: at home, in a hotel or at a customer's.\n\n"
            "Once connected, you use your applications, shared drives and the intranet "
            "exactly as on site.\n\n"
            "- Connects automatically when the laptop starts\n"
            "- Two-step verification with the Authenticator app\n"
            "- Also works over a 4G connection shared from your smartphone\n\n"
            "The remote-work rules are in the "
            f"[remote work guide]({INTRANET}/rh/teletravail).",
        ),
        how_to_get=(
            "1. Vérifiez que votre ordinateur est un **portable du groupe** (les ordinateurs "
            "personnels ne sont pas acceptés).\n"
            "2. Activez la double authentification si ce n'est pas déjà fait.\n"
            "3. Faites la demande sur le portail : l'accès est ouvert le jour même.\n"
            "4. Au premier lancement, ouvrez **FortiClient** et suivez l'assistant.",
            "1. Check that your computer is a **group laptop** (personal computers are not "
            "accepted).\n"
            "2. Turn on two-step verification if not done yet.\n"
            "3. Ask on the portal: access is opened the same day.\n"
            "4. On first use, open **FortiClient** and follow the wizard.",
        ),
        keywords="vpn, accès distant, acces distant, remote, remote access, teletravail, "
                 "télétravail, forticlient, work from home, wfh, home office, maison, domicile, "
                 "connexion, se connecter de chez moi",
        cost=Cost(USER_MONTH, "2.40", INCLUDED, "210000"),
        commitments=(
            CommitmentSpec("Accès ouvert en 1 jour ouvré", "Access opened within 1 business day",
                           "95"),
            CommitmentSpec("Service disponible 99,5 % du temps", "Service available 99.5% of "
                           "the time", "99.5"),
            CommitmentSpec("Rétablissement en 4 h en cas de panne", "Restored within 4 hours "
                           "after an outage", "4", HOURS),
        ),
        faqs=(
            FaqSpec("Puis-je utiliser mon ordinateur personnel ?",
                    "Can I use my personal computer?",
                    "Non. Seuls les portables du groupe, chiffrés et à jour, peuvent se "
                    "connecter. Pour consulter votre messagerie depuis un appareil personnel, "
                    "utilisez le webmail.",
                    "No. Only group laptops, encrypted and up to date, can connect. To read "
                    "your mail from a personal device, use webmail."),
            FaqSpec("La connexion est lente le soir, est-ce normal ?",
                    "The connection is slow in the evening, is that normal?",
                    "Le VPN ne transporte que le trafic vers le groupe ; la lenteur vient le "
                    "plus souvent de la box. Essayez en filaire, puis appelez le centre de "
                    "services si cela continue.",
                    "The VPN only carries traffic to the group; slowness usually comes from "
                    "the home router. Try a cable, then call the service desk if it persists."),
            FaqSpec("Faut-il lancer le VPN pour Teams ?", "Do I need the VPN for Teams?",
                    "Non, Teams et la messagerie fonctionnent sans VPN.",
                    "No, Teams and mail work without the VPN."),
        ),
        news=(
            NewsSpec(45, "Nouvelle version de FortiClient", "New FortiClient version",
                     "La version 7.4 s'installe automatiquement : reconnexion plus rapide "
                     "après la mise en veille.",
                     "Version 7.4 installs automatically: faster reconnection after sleep."),
            NewsSpec(210, "Capacité doublée", "Capacity doubled",
                     "Le VPN accepte désormais 6 000 connexions simultanées.",
                     "The VPN now accepts 6,000 simultaneous connections."),
        ),
        related=("visioconference", "double-authentification", "poste-portable"),
    ),
    ServiceSpec(
        "bureau-a-distance-citrix", "remote", "DSI-INFRA",
        name=("Bureau à distance Citrix", "Citrix remote desktop"),
        promise=("Ouvrez un bureau Windows du groupe depuis n'importe quel navigateur.",
                 "Open a group Windows desktop from any browser."),
        description=(
            "Le bureau Citrix affiche un poste Windows hébergé dans nos centres de données. "
            "Il a servi pendant dix ans aux prestataires et au télétravail occasionnel.\n\n"
            "**Ce service s'arrête le 30 juin 2027.** Les portables du groupe utilisent le "
            "VPN ; les prestataires passeront par l'accès aux applications sans VPN.",
            "The Citrix desktop shows a Windows desktop hosted in our data centres. It served "
            "contractors and occasional remote work for ten years.\n\n"
            "**This service ends on 30 June 2027.** Group laptops use the VPN; contractors "
            "will use application access without VPN.",
        ),
        how_to_get=(
            "Plus de nouvel accès. Les accès existants restent actifs jusqu'à l'arrêt.",
            "No new access. Existing accesses remain active until the end.",
        ),
        keywords="citrix, bureau virtuel, virtual desktop, vdi, receiver, workspace, bureau a "
                 "distance, remote desktop",
        cost=Cost(USER_MONTH, "9.80", CHARGED, "340000"),
        commitments=(
            CommitmentSpec("Service disponible 99 % du temps jusqu'à l'arrêt",
                           "Service available 99% of the time until it ends", "99"),
        ),
        faqs=(
            FaqSpec("Que dois-je faire avant l'arrêt ?", "What should I do before it ends?",
                    "Si vous avez un portable du groupe, rien : utilisez le VPN. Si vous êtes "
                    "prestataire, votre responsable recevra la marche à suivre en mars 2027.",
                    "With a group laptop, nothing: use the VPN. Contractors' managers will "
                    "receive the steps in March 2027."),
        ),
        news=(
            NewsSpec(30, "Date d'arrêt fixée au 30 juin 2027", "End date set to 30 June 2027"),
        ),
        related=("acces-applications-sans-vpn",),
        lifecycle="retiring", replacement="teletravail-securise",
    ),
    ServiceSpec(
        "acces-applications-sans-vpn", "remote", "DSI-INFRA",
        name=("Accès aux applications sans VPN", "Application access without VPN"),
        promise=("Ouvrez les applications du groupe depuis un simple navigateur, sans rien "
                 "installer.",
                 "Open group applications from a plain browser, with nothing to install."),
        description=(
            "Un portail d'accès vérifie qui vous êtes et l'état de votre appareil, puis "
            "n'ouvre que les applications dont vous avez besoin.\n\n"
            "Il remplacera le bureau Citrix pour les prestataires et servira aux collègues "
            "de production sans portable.",
            "An access portal checks who you are and the state of your device, then opens "
            "only the applications you need.\n\n"
            "It will replace the Citrix desktop for contractors and serve production "
            "colleagues who have no laptop.",
        ),
        how_to_get=(
            "Le pilote démarre au premier trimestre 2027 avec la R&D et les achats.",
            "The pilot starts in the first quarter of 2027 with R&D and purchasing.",
        ),
        keywords="ztna, zero trust, portail, sans vpn, without vpn, navigateur, browser, "
                 "prestataires, contractors",
        cost=Cost(NONE, "", INCLUDED, "150000"),
        commitments=(
            CommitmentSpec("Accès ouvert en 1 jour ouvré", "Access opened within 1 business day",
                           "90"),
        ),
        related=("bureau-a-distance-citrix",),
        lifecycle="design", publication="review",
    ),
    ServiceSpec(
        "reservation-bureaux", "remote", "DSI-SUP",
        name=("Réserver un bureau ou une salle", "Booking a desk or a room"),
        promise=("Trouvez une place sur site les jours où vous venez, en deux clics.",
                 "Find a seat on site on the days you come in, in two clicks."),
        description=(
            "L'application de réservation montre le plan de chaque étage, les postes libres "
            "et les salles de réunion équipées.\n\n"
            "- Réservation jusqu'à 4 semaines à l'avance\n"
            "- Voisinage d'équipe : voyez où s'installent vos collègues\n"
            "- Libération automatique si vous n'avez pas badgé avant 10 h",
            "The booking app shows each floor's plan, free desks and equipped meeting "
            "rooms.\n\n"
            "- Book up to 4 weeks ahead\n"
            "- Team neighbourhoods: see where your colleagues sit\n"
            "- Released automatically if you have not badged in by 10 am",
        ),
        how_to_get=(
            "Ouvrez **Réservation** dans le menu de l'intranet ou sur votre smartphone. "
            "Aucune demande n'est nécessaire.",
            "Open **Booking** from the intranet menu or on your smartphone. No request "
            "needed.",
        ),
        keywords="flex office, desk booking, réservation, reservation, bureau, poste, salle, "
                 "room, hot desk, plan, place, siège",
        cost=Cost(USER_MONTH, "0.90", INCLUDED, "45000"),
        commitments=(
            CommitmentSpec("Application disponible 99 % des heures ouvrées",
                           "App available 99% of business hours", "99"),
        ),
        faqs=(
            FaqSpec("Mon site n'apparaît pas.", "My site is not listed.",
                    "Paris, Lyon, Lille et Toulouse sont ouverts ; les autres sites arrivent "
                    "en 2027.",
                    "Paris, Lyon, Lille and Toulouse are open; the other sites follow in 2027."),
        ),
        news=(
            NewsSpec(120, "Toulouse ouvre la réservation", "Toulouse opens booking",
                     "Les trois étages du centre R&D sont réservables.",
                     "All three floors of the R&D centre can be booked."),
        ),
        related=("salles-reunion-connectees", "kit-teletravail"),
    ),
    ServiceSpec(
        "kit-teletravail", "remote", "DSI-SUP",
        name=("Équiper son poste de télétravail", "Equipping your home office"),
        promise=("Écran, casque et station d'accueil livrés chez vous en une semaine.",
                 "Screen, headset and docking station delivered to your home within a week."),
        description=(
            "Le kit télétravail comprend un écran 24 pouces, une station d'accueil, un "
            "clavier, une souris et un casque certifié Teams.\n\n"
            "Il est proposé aux collègues qui télétravaillent au moins un jour par semaine, "
            "avec l'accord de leur responsable.",
            "The home office kit has a 24-inch screen, a docking station, a keyboard, a mouse "
            "and a Teams-certified headset.\n\n"
            "It is offered to colleagues who work from home at least one day a week, with "
            "their manager's approval.",
        ),
        how_to_get=(
            "1. Faites la demande sur le portail.\n"
            "2. Votre responsable la valide.\n"
            "3. Le kit est livré à l'adresse indiquée sous 5 jours ouvrés.",
            "1. Ask on the portal.\n"
            "2. Your manager approves.\n"
            "3. The kit is delivered to the address given within 5 business days.",
        ),
        keywords="écran, ecran, screen, monitor, casque, headset, clavier, souris, mouse, "
                 "dock, station d'accueil, docking, home office, materiel maison",
        cost=Cost(REQUEST, "180.00", CHARGED, "95000"),
        commitments=(
            CommitmentSpec("Kit livré en 5 jours ouvrés", "Kit delivered within 5 business days",
                           "90"),
        ),
        faqs=(
            FaqSpec("Puis-je garder le kit si je change de poste ?",
                    "Can I keep the kit if I change jobs?",
                    "Oui, tant que vous restez dans le groupe et en télétravail.",
                    "Yes, as long as you stay in the group and keep working from home."),
        ),
        related=("teletravail-securise", "poste-portable"),
    ),
    ServiceSpec(
        "cle-4g", "remote", "DSI-SUP",
        name=("Clé 4G de connexion", "4G USB modem"),
        promise=("Une clé USB pour se connecter à Internet en déplacement.",
                 "A USB stick to get online when travelling."),
        description=(
            "Les clés 4G ont été remplacées par le partage de connexion du smartphone "
            "professionnel, inclus dans tous les forfaits.",
            "4G sticks were replaced by tethering from the business smartphone, included in "
            "every plan.",
        ),
        how_to_get=("Service arrêté.", "Service discontinued."),
        keywords="clé 4g, cle 4g, modem, dongle, usb, 3g, internet mobile",
        cost=Cost(NONE, "", CHARGED, ""),
        lifecycle="retired", replacement="smartphone-professionnel",
    ),
)


# --- Collaborer / Collaborating ---

_COLLAB: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "messagerie-agenda", "collab", "DSI-INFRA",
        name=("Messagerie et agenda", "Email and calendar"),
        promise=("Vos e-mails, votre agenda et vos contacts sur tous vos appareils.",
                 "Your email, calendar and contacts on all your devices."),
        description=(
            "Chaque collaborateur dispose d'une boîte Outlook de 50 Go, d'un agenda partagé "
            "avec son équipe et de l'annuaire du groupe.\n\n"
            "- Accessible sur le portable, le smartphone et le webmail\n"
            "- Filtrage des pièces jointes dangereuses et des e-mails frauduleux\n"
            "- Boîtes partagées pour les équipes (achats@, recrutement@…)",
            "Every employee has a 50 GB Outlook mailbox, a calendar shared with their team "
            "and the group directory.\n\n"
            "- On the laptop, the smartphone and webmail\n"
            "- Dangerous attachments and fraudulent emails filtered\n"
            "- Shared mailboxes for teams (purchasing@, recruiting@…)",
        ),
        how_to_get=(
            "Votre boîte est créée automatiquement à votre arrivée. Pour une **boîte "
            "partagée**, faites la demande sur le portail en indiquant ses membres.",
            "Your mailbox is created automatically when you join. For a **shared mailbox**, "
            "ask on the portal and list its members.",
        ),
        keywords="mail, email, e-mail, courriel, outlook, exchange, agenda, calendrier, "
                 "calendar, contacts, boite mail, boîte aux lettres, webmail, boite partagee",
        cost=Cost(USER_MONTH, "6.20", INCLUDED, "520000"),
        commitments=(
            CommitmentSpec("Boîte partagée créée en 2 jours ouvrés",
                           "Shared mailbox created within 2 business days", "95"),
            CommitmentSpec("Messagerie disponible 99,9 % du temps",
                           "Email available 99.9% of the time", "99.9"),
        ),
        faqs=(
            FaqSpec("Ma boîte est pleine, que faire ?", "My mailbox is full, what can I do?",
                    "Videz les éléments supprimés et archivez les pièces jointes dans votre "
                    "espace d'équipe. Au-delà de 50 Go, demandez une extension motivée.",
                    "Empty deleted items and move attachments to your team space. Beyond "
                    "50 GB, ask for a justified extension."),
            FaqSpec("Comment donner accès à mon agenda ?", "How do I share my calendar?",
                    "Dans Outlook, clic droit sur l'agenda, **Partage**, puis choisissez la "
                    "personne et le niveau de détail.",
                    "In Outlook, right-click the calendar, **Sharing**, then choose the person "
                    "and the level of detail."),
        ),
        news=(
            NewsSpec(75, "Boîtes passées à 50 Go", "Mailboxes now 50 GB",
                     "Toutes les boîtes ont été agrandies sans action de votre part.",
                     "Every mailbox was enlarged, nothing to do on your side."),
        ),
        related=("visioconference", "espaces-equipe"),
    ),
    ServiceSpec(
        "visioconference", "collab", "DSI-INFRA",
        name=("Visioconférence", "Video meetings"),
        promise=("Réunissez-vous en vidéo avec vos collègues, vos clients et vos fournisseurs.",
                 "Meet on video with colleagues, customers and suppliers."),
        description=(
            "**Microsoft Teams** permet des réunions jusqu'à 300 participants avec partage "
            "d'écran, enregistrement et sous-titres en direct.\n\n"
            "Les invités extérieurs rejoignent depuis un navigateur, sans compte.\n\n"
            "Pour les grands événements (plus de 300 personnes), demandez un **webinaire** "
            "au moins dix jours avant.",
            "**Microsoft Teams** hosts meetings of up to 300 people with screen sharing, "
            "recording and live captions.\n\n"
            "External guests join from a browser, no account needed.\n\n"
            "For large events (over 300 people), ask for a **webinar** at least ten days "
            "ahead.",
        ),
        how_to_get=(
            "Teams est installé sur tous les postes. Pour un webinaire, faites la demande "
            "sur le portail.",
            "Teams is installed on every computer. For a webinar, ask on the portal.",
        ),
        keywords="teams, visio, visioconference, video, réunion, reunion, meeting, webinaire, "
                 "webinar, zoom, webex, appel video, partage d'écran, screen sharing",
        cost=Cost(USER_MONTH, "4.10", INCLUDED, "310000"),
        commitments=(
            CommitmentSpec("Webinaire préparé en 10 jours ouvrés",
                           "Webinar set up within 10 business days", "100"),
            CommitmentSpec("Rétablissement en 4 h", "Restored within 4 hours", "4", HOURS),
        ),
        faqs=(
            FaqSpec("Puis-je utiliser Zoom ?", "Can I use Zoom?",
                    "Vous pouvez rejoindre une réunion Zoom d'un partenaire depuis le "
                    "navigateur. Pour organiser, utilisez Teams.",
                    "You can join a partner's Zoom meeting from the browser. To organise, use "
                    "Teams."),
        ),
        news=(
            NewsSpec(20, "Sous-titres en français", "French live captions",
                     "Les sous-titres en direct reconnaissent désormais le français.",
                     "Live captions now recognise French."),
            NewsSpec(160, "Salles Teams à Lyon", "Teams rooms in Lyon"),
        ),
        related=("salles-reunion-connectees", "messagerie-agenda", "telephonie-ordinateur"),
    ),
    ServiceSpec(
        "espaces-equipe", "collab", "DSI-INFRA",
        name=("Espaces d'équipe et partage de documents",
              "Team spaces and document sharing"),
        promise=("Travaillez à plusieurs sur les mêmes documents, au bureau comme ailleurs.",
                 "Work together on the same documents, in the office or elsewhere."),
        description=(
            "Chaque équipe ou projet peut avoir son espace : documents partagés, "
            "conversation, planning et wiki.\n\n"
            "- Co-édition en temps réel de Word, Excel et PowerPoint\n"
            "- Historique des versions : revenez à la version d'hier en un clic\n"
            "- Partage avec des partenaires extérieurs, contrôlé par le propriétaire\n\n"
            "Vos fichiers personnels vont dans **OneDrive** (1 To par personne).",
            "Each team or project can have its space: shared documents, chat, planner and "
            "wiki.\n\n"
            "- Real-time co-editing of Word, Excel and PowerPoint\n"
            "- Version history: go back to yesterday's version in one click\n"
            "- Sharing with outside partners, controlled by the owner\n\n"
            "Personal files go to **OneDrive** (1 TB per person).",
        ),
        how_to_get=(
            "1. Demandez l'espace sur le portail en indiquant deux propriétaires.\n"
            "2. Il est créé sous 2 jours ouvrés.\n"
            "3. Les propriétaires ajoutent ensuite les membres eux-mêmes.",
            "1. Ask for the space on the portal, naming two owners.\n"
            "2. It is created within 2 business days.\n"
            "3. The owners then add members themselves.",
        ),
        keywords="sharepoint, teams, onedrive, partage, share, documents, dossier partagé, "
                 "dossier partage, shared folder, fichiers, files, coedition, collaboration",
        cost=Cost(USER_MONTH, "3.50", INCLUDED, "260000"),
        commitments=(
            CommitmentSpec("Espace créé en 2 jours ouvrés", "Space created within 2 business "
                           "days", "95"),
            CommitmentSpec("Fichier supprimé restauré en 1 jour ouvré",
                           "Deleted file restored within 1 business day", "1", DAYS),
        ),
        faqs=(
            FaqSpec("Quelle différence entre OneDrive et un espace d'équipe ?",
                    "What is the difference between OneDrive and a team space?",
                    "OneDrive est à vous ; un espace d'équipe appartient à l'équipe et reste "
                    "quand quelqu'un part.",
                    "OneDrive is yours; a team space belongs to the team and stays when "
                    "someone leaves."),
            FaqSpec("Puis-je partager avec un client ?", "Can I share with a customer?",
                    "Oui, si le propriétaire de l'espace a activé le partage externe. Les "
                    "liens expirent après 90 jours.",
                    "Yes, if the space owner turned external sharing on. Links expire after "
                    "90 days."),
        ),
        news=(
            NewsSpec(90, "Migration des lecteurs réseau", "Network drive migration",
                     "Les lecteurs S: de Lyon et Lille ont rejoint les espaces d'équipe.",
                     "The S: drives of Lyon and Lille have moved to team spaces."),
        ),
        related=("messagerie-agenda", "transfert-fichiers-volumineux"),
    ),
    ServiceSpec(
        "lecteurs-reseau", "collab", "DSI-INFRA",
        name=("Lecteurs réseau partagés", "Shared network drives"),
        promise=("Les dossiers partagés S: et P: de votre site.",
                 "Your site's S: and P: shared folders."),
        description=(
            "Les lecteurs réseau hébergent encore les dossiers de quelques services.\n\n"
            "Ils sont migrés site par site vers les **espaces d'équipe** ; votre "
            "correspondant informatique vous prévient un mois avant.",
            "Network drives still hold some departments' folders.\n\n"
            "They are being moved site by site to **team spaces**; your IT contact will "
            "warn you a month ahead.",
        ),
        how_to_get=("Plus de nouveau dossier : demandez un espace d'équipe.",
                    "No new folders: ask for a team space."),
        keywords="lecteur réseau, lecteur reseau, network drive, S:, P:, partage, serveur de "
                 "fichiers, file server, dossier commun",
        cost=Cost(NONE, "", INCLUDED, "180000"),
        commitments=(
            CommitmentSpec("Restauration d'un fichier en 2 jours ouvrés",
                           "File restored within 2 business days", "2", DAYS),
        ),
        news=(
            NewsSpec(90, "Lyon et Lille migrés", "Lyon and Lille migrated"),
        ),
        lifecycle="retiring", replacement="espaces-equipe",
    ),
    ServiceSpec(
        "audioconference", "collab", "DSI-INFRA",
        name=("Audioconférence par téléphone", "Phone conference bridge"),
        promise=("Un numéro et un code pour réunir jusqu'à 40 personnes au téléphone.",
                 "A number and a code to gather up to 40 people by phone."),
        description=(
            "Le pont d'audioconférence reste disponible jusqu'à fin 2026.\n\n"
            "Chaque réunion Teams a déjà son **numéro d'appel** : les participants sans "
            "ordinateur peuvent la rejoindre par téléphone.",
            "The conference bridge remains available until the end of 2026.\n\n"
            "Every Teams meeting already has a **dial-in number**: people without a computer "
            "can join by phone.",
        ),
        how_to_get=("Plus de nouveau code : utilisez une réunion Teams avec numéro d'appel.",
                    "No new codes: use a Teams meeting with a dial-in number."),
        keywords="audio, conférence téléphonique, conference call, pont, bridge, numéro, "
                 "code, audioconf",
        cost=Cost(NONE, "", CHARGED, "60000"),
        commitments=(
            CommitmentSpec("Pont disponible 99 % du temps", "Bridge available 99% of the time",
                           "99"),
        ),
        lifecycle="retiring", replacement="visioconference",
    ),
    ServiceSpec(
        "messagerie-lotus-notes", "collab", "DSI-INFRA",
        name=("Messagerie Lotus Notes", "Lotus Notes mail"),
        promise=("L'ancienne messagerie du groupe.", "The group's former mail system."),
        description=(
            "Lotus Notes a été arrêté après la migration vers Outlook. Les archives sont "
            "conservées dix ans et restaurables sur demande.",
            "Lotus Notes was shut down after the move to Outlook. Archives are kept for ten "
            "years and can be restored on request.",
        ),
        how_to_get=("Pour une archive, faites une demande au centre de services.",
                    "For an archive, ask the service desk."),
        keywords="notes, lotus, domino, ancienne messagerie, archives mail",
        cost=Cost(NONE, "", INCLUDED, ""),
        lifecycle="retired", replacement="messagerie-agenda",
    ),
    ServiceSpec(
        "salles-reunion-connectees", "collab", "DSI-SUP",
        name=("Salles de réunion connectées", "Connected meeting rooms"),
        promise=("Lancez votre réunion Teams d'une touche, caméra et micro compris.",
                 "Start your Teams meeting with one touch, camera and microphone included."),
        description=(
            "Les salles équipées ont un écran, une caméra grand angle, des micros au "
            "plafond et une tablette de commande.\n\n"
            "Vous réservez la salle dans Outlook ; la réunion démarre depuis la tablette.",
            "Equipped rooms have a screen, a wide-angle camera, ceiling microphones and a "
            "control tablet.\n\n"
            "Book the room in Outlook; the meeting starts from the tablet.",
        ),
        how_to_get=(
            "Pour équiper une salle, votre responsable de site fait la demande sur le "
            "portail ; l'installation prend 6 semaines.",
            "To equip a room, your site manager asks on the portal; installation takes 6 "
            "weeks.",
        ),
        keywords="salle, room, teams room, écran, ecran, caméra, camera, micro, réunion, "
                 "meeting room, visio salle",
        cost=Cost(REQUEST, "2400.00", CHARGED, "140000"),
        commitments=(
            CommitmentSpec("Panne de salle traitée en 4 h ouvrées",
                           "Room fault fixed within 4 business hours", "4", HOURS),
        ),
        related=("visioconference", "reservation-bureaux"),
        publication="draft",
    ),
    ServiceSpec(
        "intranet", "collab", "DSI-APP",
        name=("Intranet du groupe", "Group intranet"),
        promise=("Les actualités, les procédures et les outils du groupe en un seul endroit.",
                 "Group news, procedures and tools in one place."),
        description=(
            "L'intranet réunit les actualités du groupe et de votre site, les procédures "
            "(achats, voyages, RH) et les liens vers les applications.\n\n"
            "Chaque direction publie ses pages elle-même, avec l'aide de la communication "
            "interne.",
            "The intranet brings together group and site news, procedures (purchasing, "
            "travel, HR) and links to applications.\n\n"
            "Each department publishes its own pages, helped by internal communication.",
        ),
        how_to_get=(
            f"Ouvrez [l'intranet]({INTRANET}). Pour devenir contributeur, faites la demande "
            "sur le portail.",
            f"Open [the intranet]({INTRANET}). To become a contributor, ask on the portal.",
        ),
        keywords="intranet, actualités, actualites, news, procédures, procedures, portail, "
                 "annuaire, liens utiles, page d'accueil",
        cost=Cost(NONE, "", INCLUDED, "120000"),
        commitments=(
            CommitmentSpec("Droits de contributeur en 2 jours ouvrés",
                           "Contributor rights within 2 business days", "95"),
        ),
        news=(
            NewsSpec(15, "Nouvelle recherche", "New search",
                     "La recherche trouve aussi les documents des espaces d'équipe.",
                     "Search now also finds team space documents."),
        ),
        related=("espaces-equipe",),
    ),
    ServiceSpec(
        "transfert-fichiers-volumineux", "collab", "DSI-INFRA",
        name=("Envoyer des fichiers volumineux", "Sending large files"),
        promise=("Transmettez jusqu'à 20 Go à un partenaire, de façon sûre.",
                 "Send up to 20 GB to a partner, safely."),
        description=(
            "Pour les plans, les vidéos ou les exports trop lourds pour un e-mail, le "
            "service de transfert crée un lien protégé par code, valable 15 jours.\n\n"
            "Les fichiers sont analysés contre les virus et chiffrés.",
            "For plans, videos or exports too heavy for email, the transfer service creates "
            "a code-protected link valid for 15 days.\n\n"
            "Files are scanned for viruses and encrypted.",
        ),
        how_to_get=("Ouvrez **Transfert** depuis l'intranet, aucune demande n'est nécessaire.",
                    "Open **Transfer** from the intranet, no request needed."),
        keywords="wetransfer, transfert, transfer, gros fichier, large file, envoi, pièce "
                 "jointe trop lourde, piece jointe, partage externe",
        cost=Cost(NONE, "", INCLUDED, "18000"),
        commitments=(
            CommitmentSpec("Service disponible 99 % du temps", "Service available 99% of the "
                           "time", "99"),
        ),
        related=("espaces-equipe",),
        publication="review",
    ),
    ServiceSpec(
        "telephonie-ordinateur", "collab", "DSI-INFRA",
        name=("Téléphoner depuis son ordinateur", "Calling from your computer"),
        promise=("Votre numéro de bureau vous suit sur votre ordinateur et votre smartphone.",
                 "Your office number follows you on your computer and smartphone."),
        description=(
            "La téléphonie Teams remplace le téléphone de bureau : appels entrants et "
            "sortants, messagerie vocale, renvois et groupes d'appel pour les accueils.\n\n"
            "Un casque certifié est fourni à la demande.",
            "Teams calling replaces the desk phone: incoming and outgoing calls, voicemail, "
            "forwarding and call groups for reception desks.\n\n"
            "A certified headset is provided on request.",
        ),
        how_to_get=(
            "Votre numéro est basculé avec celui de votre site ; un e-mail vous prévient la "
            "semaine précédente.",
            "Your number moves with your site's; an email warns you the week before.",
        ),
        keywords="téléphone, telephone, phone, ligne fixe, numéro, numero, softphone, teams "
                 "phone, appel, call, messagerie vocale, voicemail, standard",
        cost=Cost(USER_MONTH, "3.20", INCLUDED, "160000"),
        commitments=(
            CommitmentSpec("Numéro transféré en 5 jours ouvrés",
                           "Number transferred within 5 business days", "95"),
            CommitmentSpec("Rétablissement en 2 h", "Restored within 2 hours", "2", HOURS),
        ),
        related=("visioconference", "smartphone-professionnel"),
    ),
)


# --- Postes et mobiles / Computers and phones ---

_DEVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "poste-portable", "devices", "DSI-SUP",
        name=("Ordinateur portable", "Laptop"),
        promise=("Un portable prêt à l'emploi, renouvelé tous les 4 ans.",
                 "A ready-to-use laptop, renewed every 4 years."),
        description=(
            "Le portable standard est léger, chiffré et livré avec la bureautique, Teams et "
            "le VPN.\n\n"
            "- **Standard** : 14 pouces, 16 Go, pour la plupart des métiers\n"
            "- **Renforcé** : pour les ateliers et les entrepôts\n"
            "- **Puissant** : pour la data et le développement\n\n"
            "En cas de panne, un portable de prêt vous est remis le jour même sur les grands "
            "sites.",
            "The standard laptop is light, encrypted and comes with office apps, Teams and "
            "the VPN.\n\n"
            "- **Standard**: 14 inches, 16 GB, for most jobs\n"
            "- **Rugged**: for workshops and warehouses\n"
            "- **Powerful**: for data and development work\n\n"
            "If it breaks, a loan laptop is handed over the same day on the main sites.",
        ),
        how_to_get=(
            "1. Votre responsable fait la demande sur le portail (modèle et date).\n"
            "2. Le poste est préparé à votre nom.\n"
            "3. Vous le récupérez à l'assistance de proximité ou le recevez chez vous.",
            "1. Your manager asks on the portal (model and date).\n"
            "2. The laptop is prepared in your name.\n"
            "3. You collect it from on-site support or receive it at home.",
        ),
        keywords="pc, ordinateur, ordi, laptop, portable, computer, poste de travail, "
                 "windows, renouvellement, nouveau pc, new laptop, panne pc",
        cost=Cost(USER_MONTH, "38.00", CHARGED, "2300000"),
        commitments=(
            CommitmentSpec("Poste livré en 5 jours ouvrés", "Laptop delivered within 5 "
                           "business days", "90"),
            CommitmentSpec("Prêt le jour même en cas de panne (grands sites)",
                           "Same-day loan laptop on main sites", "95"),
        ),
        faqs=(
            FaqSpec("Puis-je choisir un Mac ?", "Can I have a Mac?",
                    "Les Mac sont réservés aux métiers de la communication et du design, sur "
                    "justification.",
                    "Macs are kept for communication and design jobs, with a justification."),
            FaqSpec("Que faire de mon ancien poste ?", "What do I do with my old laptop?",
                    "Rendez-le à l'assistance de proximité : il est effacé puis reconditionné "
                    "ou recyclé.",
                    "Hand it to on-site support: it is wiped, then refurbished or recycled."),
        ),
        news=(
            NewsSpec(60, "Nouveau modèle standard", "New standard model",
                     "Plus léger (1,2 kg) et 12 h d'autonomie.",
                     "Lighter (1.2 kg) with 12 hours of battery life."),
        ),
        related=("kit-teletravail", "assistance-proximite", "logiciels"),
    ),
    ServiceSpec(
        "station-cao", "devices", "DSI-SUP",
        name=("Station de travail CAO", "CAD workstation"),
        promise=("Une station puissante pour la conception 3D et la simulation.",
                 "A powerful workstation for 3D design and simulation."),
        description=(
            "Les ingénieurs et dessinateurs disposent d'une station certifiée pour CATIA et "
            "les logiciels de simulation, avec deux écrans 27 pouces et une souris 3D.\n\n"
            "Les stations sont renouvelées tous les 3 ans.",
            "Engineers and designers get a workstation certified for CATIA and simulation "
            "software, with two 27-inch screens and a 3D mouse.\n\n"
            "Workstations are renewed every 3 years.",
        ),
        how_to_get=("Votre responsable fait la demande sur le portail ; comptez 10 jours "
                    "ouvrés.",
                    "Your manager asks on the portal; allow 10 business days."),
        keywords="cao, cad, catia, station, workstation, 3d, simulation, gpu, carte "
                 "graphique, ingenierie, bureau d'études",
        cost=Cost(USER_MONTH, "95.00", CHARGED, "410000"),
        commitments=(
            CommitmentSpec("Station livrée en 10 jours ouvrés",
                           "Workstation delivered within 10 business days", "90"),
        ),
        related=("plm-rd", "poste-portable"),
        job_families=("ING",),
    ),
    ServiceSpec(
        "smartphone-professionnel", "devices", "DSI-SUP",
        name=("Smartphone professionnel", "Business smartphone"),
        promise=("Un smartphone avec forfait, messagerie et Teams, prêt à l'emploi.",
                 "A smartphone with a plan, email and Teams, ready to use."),
        description=(
            "Le smartphone professionnel est fourni avec un forfait France et Europe "
            "illimité, le partage de connexion et les applications du groupe.\n\n"
            "Il est géré à distance : en cas de perte, il est effacé en quelques minutes.",
            "The business smartphone comes with an unlimited France and Europe plan, "
            "tethering and the group apps.\n\n"
            "It is managed remotely: if lost, it is wiped within minutes.",
        ),
        how_to_get=(
            "1. Votre responsable fait la demande sur le portail.\n"
            "2. Le téléphone est livré sur site sous 5 jours ouvrés.\n"
            "3. Suivez le guide de démarrage glissé dans la boîte.",
            "1. Your manager asks on the portal.\n"
            "2. The phone is delivered on site within 5 business days.\n"
            "3. Follow the quick-start guide in the box.",
        ),
        keywords="téléphone, telephone, mobile, portable, smartphone, iphone, android, "
                 "forfait, sim, 4g, 5g, partage de connexion, tethering, hotspot",
        cost=Cost(USER_MONTH, "22.00", CHARGED, "640000"),
        commitments=(
            CommitmentSpec("Téléphone livré en 5 jours ouvrés", "Phone delivered within 5 "
                           "business days", "90"),
            CommitmentSpec("Appareil perdu effacé en 30 min", "Lost device wiped within 30 "
                           "minutes", "30", MINUTES),
        ),
        faqs=(
            FaqSpec("J'ai perdu mon téléphone.", "I lost my phone.",
                    "Appelez tout de suite le centre de services (24 h/24) pour le faire "
                    "bloquer et effacer.",
                    "Call the service desk at once (24/7) to have it blocked and wiped."),
            FaqSpec("Le forfait marche-t-il à l'étranger ?", "Does the plan work abroad?",
                    "En Europe oui. Hors d'Europe, activez l'option voyage sur le portail "
                    "avant de partir.",
                    "In Europe, yes. Outside Europe, turn on the travel option on the portal "
                    "before leaving."),
        ),
        news=(
            NewsSpec(100, "Option voyage à la semaine", "Weekly travel option"),
        ),
        related=("telephonie-ordinateur", "double-authentification"),
    ),
    ServiceSpec(
        "impression", "devices", "DSI-SUP",
        name=("Imprimer et numériser", "Printing and scanning"),
        promise=("Imprimez depuis n'importe quel copieur du groupe avec votre badge.",
                 "Print from any group copier with your badge."),
        description=(
            "Vos impressions vous attendent jusqu'à ce que vous badgiez sur un copieur, "
            "dans n'importe quel site. Rien ne reste oublié dans le bac.\n\n"
            "Le scan envoie le document directement dans votre messagerie ou votre "
            "OneDrive.",
            "Your print jobs wait until you badge at a copier, on any site. Nothing is left "
            "in the tray.\n\n"
            "Scanning sends the document straight to your mailbox or OneDrive.",
        ),
        how_to_get=("Rien à demander : choisissez l'imprimante **Maréval-Print** dans vos "
                    "applications.",
                    "Nothing to ask: pick the **Maréval-Print** printer in your apps."),
        keywords="imprimante, printer, imprimer, print, copieur, photocopieuse, scanner, "
                 "scan, numériser, numeriser, badge, impression couleur",
        cost=Cost(USER_MONTH, "2.10", CHARGED, "380000"),
        commitments=(
            CommitmentSpec("Copieur réparé en 1 jour ouvré", "Copier repaired within 1 "
                           "business day", "90"),
        ),
        related=("assistance-proximite",),
    ),
    ServiceSpec(
        "imprimantes-individuelles", "devices", "DSI-SUP",
        name=("Imprimante individuelle", "Personal printer"),
        promise=("Une imprimante de bureau pour une seule personne.",
                 "A desktop printer for one person."),
        description=(
            "Les imprimantes individuelles sont retirées au fil des pannes : elles coûtent "
            "cinq fois plus cher par page que les copieurs partagés.\n\n"
            "Les besoins de confidentialité sont couverts par l'impression au badge.",
            "Personal printers are removed as they break down: they cost five times more per "
            "page than shared copiers.\n\n"
            "Confidentiality needs are covered by badge printing.",
        ),
        how_to_get=("Plus de nouvelle imprimante individuelle.", "No new personal printers."),
        keywords="imprimante perso, imprimante de bureau, desk printer, cartouche, toner, "
                 "encre",
        cost=Cost(USER_MONTH, "6.50", CHARGED, "75000"),
        commitments=(
            CommitmentSpec("Cartouche livrée en 3 jours ouvrés", "Cartridge delivered within "
                           "3 business days", "90"),
        ),
        lifecycle="retiring", replacement="impression",
    ),
    ServiceSpec(
        "wifi", "devices", "DSI-INFRA",
        name=("Wifi des sites et wifi invités", "Site and guest wifi"),
        promise=("Du wifi partout sur nos sites, pour vous et pour vos visiteurs.",
                 "Wifi everywhere on our sites, for you and your visitors."),
        description=(
            "Le réseau **Mareval** connecte automatiquement les postes du groupe.\n\n"
            "Le réseau **Mareval-Invités** donne à vos visiteurs un accès Internet d'une "
            "journée : ils reçoivent le code par SMS après votre invitation.",
            "The **Mareval** network connects group computers automatically.\n\n"
            "The **Mareval-Guests** network gives your visitors one day of Internet access: "
            "they get the code by text message after you invite them.",
        ),
        how_to_get=("Pour inviter un visiteur, ouvrez **Wifi invités** sur l'intranet et "
                    "saisissez son numéro de mobile.",
                    "To invite a visitor, open **Guest wifi** on the intranet and enter their "
                    "mobile number."),
        keywords="wifi, wi-fi, wlan, réseau, reseau, network, internet, invité, invite, guest, "
                 "visiteur, visitor, code wifi, hotspot",
        cost=Cost(NONE, "", INCLUDED, "230000"),
        commitments=(
            CommitmentSpec("Code invité reçu en 5 min", "Guest code received within 5 "
                           "minutes", "5", MINUTES),
            CommitmentSpec("Borne en panne remplacée en 2 jours ouvrés",
                           "Faulty access point replaced within 2 business days", "95"),
        ),
        news=(
            NewsSpec(140, "Wifi 6 à Valenciennes", "Wifi 6 in Valenciennes",
                     "Les ateliers de l'usine sont couverts.",
                     "The plant's workshops are covered."),
        ),
        related=("poste-portable",),
    ),
    ServiceSpec(
        "logiciels", "devices", "DSI-SUP",
        name=("Installer un logiciel", "Installing software"),
        promise=("Installez vous-même les logiciels validés, sans attendre.",
                 "Install approved software yourself, without waiting."),
        description=(
            "Le **Centre logiciel** présent sur votre poste propose plus de 300 logiciels "
            "validés : installation en un clic, sans droits d'administrateur.\n\n"
            "Un logiciel absent de la liste ? Demandez son étude : sécurité, licence et "
            "compatibilité sont vérifiées.",
            "The **Software Center** on your computer offers over 300 approved programs: "
            "one-click install, no administrator rights needed.\n\n"
            "Software not on the list? Ask for it to be reviewed: security, licence and "
            "compatibility are checked.",
        ),
        how_to_get=("Ouvrez le Centre logiciel depuis le menu Démarrer. Pour un nouveau "
                    "logiciel, faites la demande sur le portail.",
                    "Open the Software Center from the Start menu. For new software, ask on "
                    "the portal."),
        keywords="logiciel, software, application, installer, install, programme, licence, "
                 "license, droits admin, admin rights, centre logiciel, software center",
        cost=Cost(NONE, "", INCLUDED, "90000"),
        commitments=(
            CommitmentSpec("Nouveau logiciel étudié en 10 jours ouvrés",
                           "New software reviewed within 10 business days", "85"),
        ),
        related=("poste-portable", "demande-acces"),
    ),
    ServiceSpec(
        "tablettes-atelier", "devices", "DSI-SUP",
        name=("Tablettes d'atelier", "Shop-floor tablets"),
        promise=("Des tablettes durcies pour consulter gammes et consignes au poste.",
                 "Rugged tablets to read routings and instructions at the workstation."),
        description=(
            "Les tablettes d'atelier résistent aux chocs, à la poussière et aux gants. Elles "
            "donnent accès aux gammes, aux consignes de sécurité et à la déclaration de "
            "production.\n\n"
            "Elles sont partagées par poste et se connectent avec le badge.",
            "Shop-floor tablets withstand knocks, dust and gloves. They give access to "
            "routings, safety instructions and production reporting.\n\n"
            "They are shared per workstation and log in with the badge.",
        ),
        how_to_get=("Le responsable d'atelier fait la demande sur le portail.",
                    "The workshop manager asks on the portal."),
        keywords="tablette, tablet, atelier, workshop, durcie, rugged, gamme, consigne, "
                 "production, badge, ligne",
        cost=Cost(USER_MONTH, "28.00", CHARGED, "85000"),
        commitments=(
            CommitmentSpec("Tablette remplacée en 1 jour ouvré", "Tablet replaced within 1 "
                           "business day", "95"),
        ),
        related=("suivi-production-mes", "gmao"),
        units=("PROD",),
    ),
)


# --- Données et décisions / Data and decisions ---

_DATA: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "tableaux-de-bord", "data", "DSI-APP",
        name=("Tableaux de bord", "Dashboards"),
        promise=("Vos indicateurs à jour chaque matin, sans ressaisie dans Excel.",
                 "Your indicators updated every morning, with no retyping into Excel."),
        description=(
            "Les tableaux de bord **Power BI** rassemblent les chiffres des ventes, de la "
            "production, des achats et des RH.\n\n"
            "- Rafraîchis chaque nuit depuis l'entrepôt de données\n"
            "- Consultables sur le portable et le smartphone\n"
            "- Chacun ne voit que le périmètre auquel il a droit\n\n"
            f"La [galerie des tableaux de bord]({INTRANET}/data/galerie) montre ceux qui "
            "existent déjà.",
            "**Power BI** dashboards bring together sales, production, purchasing and HR "
            "figures.\n\n"
            "- Refreshed every night from the data warehouse\n"
            "- Viewable on laptop and smartphone\n"
            "- Everyone sees only the scope they are entitled to\n\n"
            f"The [dashboard gallery]({INTRANET}/data/galerie) shows the existing ones.",
        ),
        how_to_get=(
            "1. Cherchez dans la galerie un tableau de bord qui vous convient.\n"
            "2. Demandez l'accès sur le portail.\n"
            "3. Pour un nouveau tableau de bord, décrivez les décisions qu'il doit éclairer.",
            "1. Look in the gallery for a dashboard that fits.\n"
            "2. Ask for access on the portal.\n"
            "3. For a new dashboard, describe the decisions it should inform.",
        ),
        keywords="power bi, powerbi, bi, reporting, rapport, report, tableau de bord, "
                 "dashboard, kpi, indicateurs, chiffres, statistiques, pilotage",
        cost=Cost(USER_MONTH, "9.40", CHARGED, "290000"),
        commitments=(
            CommitmentSpec("Accès ouvert en 2 jours ouvrés", "Access opened within 2 "
                           "business days", "95"),
            CommitmentSpec("Données à jour avant 7 h", "Data up to date by 7 am", "98"),
        ),
        faqs=(
            FaqSpec("Les chiffres diffèrent de mon fichier Excel.",
                    "The figures differ from my Excel file.",
                    "Les tableaux de bord suivent les définitions validées par le contrôle de "
                    "gestion. Signalez l'écart : il est analysé sous 5 jours ouvrés.",
                    "Dashboards follow the definitions approved by management control. "
                    "Report the gap: it is analysed within 5 business days."),
            FaqSpec("Puis-je exporter vers Excel ?", "Can I export to Excel?",
                    "Oui, depuis chaque visuel (menu …, **Exporter les données**).",
                    "Yes, from each visual (… menu, **Export data**)."),
        ),
        news=(
            NewsSpec(25, "Tableau de bord des stocks", "Inventory dashboard",
                     "Stocks par site et par famille d'articles, mis à jour chaque nuit.",
                     "Stock per site and item family, updated nightly."),
            NewsSpec(180, "Power BI sur smartphone", "Power BI on smartphones"),
        ),
        related=("entrepot-donnees", "extractions-donnees"),
    ),
    ServiceSpec(
        "entrepot-donnees", "data", "DSI-INFRA",
        name=("Entrepôt de données", "Data warehouse"),
        promise=("Les données de l'ERP, du CRM et de la production, réunies et fiables.",
                 "ERP, CRM and production data, brought together and reliable."),
        description=(
            "L'entrepôt de données copie chaque nuit les données des applications métier et "
            "les met en cohérence : mêmes clients, mêmes articles, mêmes périodes.\n\n"
            "Il alimente les tableaux de bord et les analyses des équipes data.",
            "The data warehouse copies business application data every night and makes it "
            "consistent: same customers, same items, same periods.\n\n"
            "It feeds dashboards and the data teams' analyses.",
        ),
        how_to_get=("Accès réservé aux analystes : faites la demande sur le portail avec "
                    "l'accord de votre responsable.",
                    "Access for analysts only: ask on the portal with your manager's "
                    "approval."),
        keywords="entrepôt, entrepot, data warehouse, dwh, datawarehouse, sql, données, "
                 "donnees, data, snowflake, base de données, analyse",
        cost=Cost(NONE, "", INCLUDED, "450000"),
        commitments=(
            CommitmentSpec("Chargement de nuit terminé avant 6 h", "Nightly load finished by "
                           "6 am", "98"),
        ),
        related=("tableaux-de-bord", "referentiels"),
    ),
    ServiceSpec(
        "rapports-business-objects", "data", "DSI-APP",
        name=("Rapports Business Objects", "Business Objects reports"),
        promise=("Les anciens rapports de l'ERP.", "The former ERP reports."),
        description=(
            "Business Objects a été arrêté : tous ses rapports utilisés ont été refaits en "
            "tableaux de bord Power BI.",
            "Business Objects was shut down: every report still in use was rebuilt as a "
            "Power BI dashboard.",
        ),
        how_to_get=("Service arrêté.", "Service discontinued."),
        keywords="business objects, bo, webi, rapport, ancien reporting",
        cost=Cost(NONE, "", INCLUDED, ""),
        lifecycle="retired", replacement="tableaux-de-bord",
    ),
    ServiceSpec(
        "referentiels", "data", "DSI-APP",
        name=("Référentiels articles, clients et fournisseurs",
              "Item, customer and supplier master data"),
        promise=("Créez un article, un client ou un fournisseur une fois, pour toutes les "
                 "applications.",
                 "Create an item, customer or supplier once, for every application."),
        description=(
            "Les référentiels sont la source unique des articles, clients et fournisseurs. "
            "Chaque création est vérifiée (doublons, SIRET, TVA) puis diffusée à l'ERP, au "
            "CRM et à l'entrepôt.",
            "Master data is the single source of items, customers and suppliers. Every "
            "creation is checked (duplicates, company and VAT numbers) then sent to the ERP, "
            "the CRM and the warehouse.",
        ),
        how_to_get=("Faites la demande de création sur le portail ; joignez le Kbis pour un "
                    "fournisseur.",
                    "Ask for the creation on the portal; attach the company registration for "
                    "a supplier."),
        keywords="mdm, référentiel, referentiel, master data, article, item, client, "
                 "customer, fournisseur, supplier, création fournisseur, code article",
        cost=Cost(REQUEST, "25.00", INCLUDED, "160000"),
        commitments=(
            CommitmentSpec("Fiche créée en 2 jours ouvrés", "Record created within 2 business "
                           "days", "90"),
        ),
        related=("erp-finance", "entrepot-donnees"),
    ),
    ServiceSpec(
        "assistant-ia", "data", "DSI-APP",
        name=("Assistant d'IA générative sécurisé", "Secure generative AI assistant"),
        promise=("Résumez, rédigez et traduisez avec une IA qui garde vos données dans le "
                 "groupe.",
                 "Summarise, draft and translate with an AI that keeps your data in the "
                 "group."),
        description=(
            "Beaucoup d'entre vous utilisent des IA grand public avec des documents internes. "
            "Nous étudions un assistant hébergé en Europe, sans réutilisation des données.\n\n"
            "Vos cas d'usage nous aident à choisir : dites-nous ce que vous aimeriez en faire.",
            "Many of you use consumer AI tools with internal documents. We are assessing an "
            "assistant hosted in Europe, with no reuse of the data.\n\n"
            "Your use cases help us choose: tell us what you would like to do with it.",
        ),
        how_to_get=("Pas encore disponible.", "Not available yet."),
        keywords="ia, ai, intelligence artificielle, chatgpt, copilot, gpt, llm, assistant, "
                 "résumé, resume, traduction, translate",
        cost=Cost(USER_MONTH, "25.00", CHARGED, "300000"),
        commitments=(
            CommitmentSpec("Données hébergées en Europe", "Data hosted in Europe", "100"),
        ),
        related=("tableaux-de-bord",),
        lifecycle="proposed", publication="draft",
    ),
    ServiceSpec(
        "extractions-donnees", "data", "DSI-APP",
        name=("Extractions et analyses sur mesure", "Custom data extracts and analyses"),
        promise=("Obtenez les données dont vous avez besoin pour une étude ponctuelle.",
                 "Get the data you need for a one-off study."),
        description=(
            "Pour un audit, un appel d'offres ou une étude, l'équipe data prépare une "
            "extraction ou une analyse à partir de l'entrepôt.\n\n"
            "Les données personnelles ne sont fournies qu'avec l'accord du DPO.",
            "For an audit, a tender or a study, the data team prepares an extract or an "
            "analysis from the warehouse.\n\n"
            "Personal data is only provided with the DPO's approval.",
        ),
        how_to_get=("Décrivez votre question sur le portail ; un analyste vous rappelle sous "
                    "2 jours ouvrés.",
                    "Describe your question on the portal; an analyst calls you back within "
                    "2 business days."),
        keywords="extraction, extract, export, données, donnees, data, analyse, analysis, "
                 "étude, etude, fichier excel, requete, query",
        cost=Cost(REQUEST, "450.00", CHARGED, "70000"),
        commitments=(
            CommitmentSpec("Premier contact en 2 jours ouvrés", "First contact within 2 "
                           "business days", "95"),
        ),
        related=("tableaux-de-bord", "entrepot-donnees"),
    ),
)


# --- Applications métier / Business applications ---

_BUSINESS: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "erp-finance", "business", "DSI-APP",
        name=("ERP finance et comptabilité", "Finance and accounting ERP"),
        promise=("Comptabilité, factures et clôtures de toutes les sociétés du groupe dans un "
                 "seul outil.",
                 "Accounting, invoices and closings of every group company in one tool."),
        description=(
            "L'ERP tient la comptabilité générale et analytique, les factures fournisseurs "
            "et clients, les immobilisations et la trésorerie des 14 sociétés du groupe.\n\n"
            "- Factures fournisseurs numérisées et rapprochées automatiquement des "
            "commandes\n"
            "- Clôture mensuelle en 5 jours ouvrés\n"
            "- Consolidation groupe chaque trimestre",
            "The ERP runs general and cost accounting, supplier and customer invoices, fixed "
            "assets and treasury for the group's 14 companies.\n\n"
            "- Supplier invoices scanned and matched to purchase orders automatically\n"
            "- Monthly closing in 5 business days\n"
            "- Group consolidation every quarter",
        ),
        how_to_get=(
            "1. Votre responsable demande l'accès sur le portail en précisant la société et "
            "le rôle.\n"
            "2. Le contrôle interne valide la séparation des tâches.\n"
            "3. Vous suivez la formation en ligne de 45 minutes.",
            "1. Your manager asks for access on the portal, giving the company and the "
            "role.\n"
            "2. Internal control checks segregation of duties.\n"
            "3. You follow the 45-minute online training.",
        ),
        keywords="erp, sap, compta, comptabilité, comptabilite, accounting, finance, facture, "
                 "invoice, grand livre, ledger, clôture, cloture, closing, immobilisations",
        cost=Cost(USER_MONTH, "85.00", CHARGED, "1850000"),
        commitments=(
            CommitmentSpec("Accès ouvert en 3 jours ouvrés", "Access opened within 3 "
                           "business days", "90"),
            CommitmentSpec("Disponible à 99,8 % pendant les clôtures", "99.8% available "
                           "during closings", "99.8"),
            CommitmentSpec("Incident bloquant pris en charge en 30 min",
                           "Blocking incident handled within 30 minutes", "30", MINUTES),
        ),
        faqs=(
            FaqSpec("Une facture est bloquée, qui contacter ?",
                    "An invoice is blocked, who should I contact?",
                    "La comptabilité fournisseurs de votre société ; le blocage vient le plus "
                    "souvent d'un écart avec la commande.",
                    "Your company's accounts payable team; the block usually comes from a "
                    "difference with the order."),
        ),
        news=(
            NewsSpec(50, "Rapprochement automatique des factures",
                     "Automatic invoice matching",
                     "80 % des factures fournisseurs passent sans saisie.",
                     "80% of supplier invoices now go through with no typing."),
            NewsSpec(250, "La filiale espagnole rejoint l'ERP",
                     "The Spanish subsidiary joins the ERP"),
        ),
        related=("notes-de-frais", "demandes-achat", "referentiels"),
        units=("FIN",), demo_owner="owner",
    ),
    ServiceSpec(
        "notes-de-frais", "business", "DSI-APP",
        name=("Notes de frais", "Expense reports"),
        promise=("Photographiez vos tickets, vous êtes remboursé sous 10 jours.",
                 "Snap your receipts, get reimbursed within 10 days."),
        description=(
            "L'application de notes de frais lit vos tickets pris en photo, applique la "
            "politique voyages et envoie la note à votre responsable.\n\n"
            "Les dépenses de la carte affaires remontent toutes seules.",
            "The expense app reads the receipts you photograph, applies the travel policy "
            "and sends the report to your manager.\n\n"
            "Corporate card spending comes in on its own.",
        ),
        how_to_get=("Installez **Notes de frais** depuis le magasin d'applications de votre "
                    "smartphone et connectez-vous avec votre compte du groupe.",
                    "Install **Expenses** from your smartphone's app store and sign in with "
                    "your group account."),
        keywords="note de frais, notes de frais, expenses, expense report, remboursement, "
                 "refund, ticket, receipt, frais, déplacement, deplacement, carte affaires",
        cost=Cost(USER_MONTH, "1.20", INCLUDED, "110000"),
        commitments=(
            CommitmentSpec("Remboursement en 10 jours après validation",
                           "Reimbursed within 10 days after approval", "95"),
        ),
        faqs=(
            FaqSpec("J'ai perdu un ticket.", "I lost a receipt.",
                    "Déclarez la dépense sans justificatif en expliquant pourquoi ; votre "
                    "responsable décide.",
                    "Declare the expense without a receipt and explain why; your manager "
                    "decides."),
        ),
        news=(
            NewsSpec(35, "Lecture automatique des tickets en anglais et en espagnol",
                     "Receipts in English and Spanish read automatically"),
        ),
        related=("erp-finance",),
        demo_owner="owner",
    ),
    ServiceSpec(
        "gmao", "business", "DSI-APP",
        name=("Maintenance des équipements (GMAO)", "Equipment maintenance (CMMS)"),
        promise=("Déclarez une panne et suivez les interventions de maintenance depuis "
                 "l'atelier.",
                 "Report a breakdown and follow maintenance work from the shop floor."),
        description=(
            "La GMAO recense les 4 200 équipements des usines et planifie la maintenance "
            "préventive.\n\n"
            "- Demande d'intervention en 3 champs, depuis une tablette\n"
            "- Historique des pannes et pièces par machine\n"
            "- Stock de pièces détachées partagé entre Valenciennes et Saint-Étienne",
            "The CMMS lists the plants' 4,200 pieces of equipment and plans preventive "
            "maintenance.\n\n"
            "- Work request in 3 fields, from a tablet\n"
            "- Breakdown and parts history per machine\n"
            "- Spare parts stock shared between Valenciennes and Saint-Étienne",
        ),
        how_to_get=("Le responsable maintenance de votre usine ouvre les accès.",
                    "Your plant's maintenance manager grants access."),
        keywords="gmao, cmms, maintenance, panne, breakdown, intervention, machine, "
                 "équipement, equipement, préventif, preventive, pièces détachées, spare parts",
        cost=Cost(USER_MONTH, "42.00", CHARGED, "520000"),
        commitments=(
            CommitmentSpec("Incident bloquant pris en charge en 1 h, 24 h/24",
                           "Blocking incident handled within 1 hour, 24/7", "1", HOURS),
            CommitmentSpec("Disponible 99,5 % du temps", "Available 99.5% of the time",
                           "99.5"),
        ),
        news=(
            NewsSpec(70, "Demandes d'intervention sur tablette", "Work requests on tablets"),
        ),
        related=("tablettes-atelier", "suivi-production-mes"),
        units=("PROD",), demo_owner="deputy",
    ),
    ServiceSpec(
        "wms-logistique", "business", "DSI-APP",
        name=("Gestion d'entrepôt (WMS)", "Warehouse management (WMS)"),
        promise=("Réceptions, stocks et préparations de commandes suivis à l'emplacement "
                 "près.",
                 "Receipts, stock and order picking tracked down to the bin."),
        description=(
            "Le WMS pilote la plateforme d'Orléans et les magasins des usines : réception, "
            "rangement, préparation guidée par terminal, expédition.\n\n"
            "Les transporteurs reçoivent leurs étiquettes automatiquement.",
            "The WMS runs the Orléans platform and the plants' stores: receiving, put-away, "
            "terminal-guided picking, shipping.\n\n"
            "Carriers get their labels automatically.",
        ),
        how_to_get=("Le chef d'équipe logistique demande l'accès et le terminal sur le "
                    "portail.",
                    "The logistics team leader asks for access and a terminal on the "
                    "portal."),
        keywords="wms, entrepôt, entrepot, warehouse, stock, inventaire, inventory, picking, "
                 "préparation, preparation, expédition, expedition, shipping, terminal, "
                 "scanner, douchette",
        cost=Cost(USER_MONTH, "55.00", CHARGED, "780000"),
        commitments=(
            CommitmentSpec("Terminal remplacé en 4 h", "Terminal replaced within 4 hours", "4",
                           HOURS),
            CommitmentSpec("Disponible 99,7 % du temps", "Available 99.7% of the time",
                           "99.7"),
        ),
        news=(
            NewsSpec(110, "Préparation vocale à Orléans", "Voice picking in Orléans"),
        ),
        related=("erp-finance", "referentiels"),
        units=("LOG",),
    ),
    ServiceSpec(
        "crm-ventes", "business", "DSI-APP",
        name=("Suivi des clients et des ventes (CRM)", "Customer and sales tracking (CRM)"),
        promise=("Vos clients, vos opportunités et vos offres au même endroit, même en "
                 "rendez-vous.",
                 "Your customers, opportunities and quotes in one place, even at a "
                 "meeting."),
        description=(
            "Le CRM donne aux commerciaux la fiche complète de chaque client : contacts, "
            "historique des commandes, réclamations, offres en cours.\n\n"
            "- Application mobile utilisable hors connexion\n"
            "- Prévisions de ventes consolidées chaque lundi\n"
            "- Offres générées à partir du tarif en vigueur",
            "The CRM gives sales people the full record of each customer: contacts, order "
            "history, complaints, open quotes.\n\n"
            "- Mobile app that works offline\n"
            "- Sales forecasts consolidated every Monday\n"
            "- Quotes generated from the current price list",
        ),
        how_to_get=("Votre responsable commercial demande l'accès sur le portail ; une "
                    "formation de 2 heures est prévue à l'ouverture.",
                    "Your sales manager asks for access on the portal; a 2-hour training is "
                    "held when it opens."),
        keywords="crm, salesforce, client, customer, prospect, opportunité, opportunite, "
                 "pipeline, devis, offre, quote, ventes, sales, forecast, prévisions",
        cost=Cost(USER_MONTH, "65.00", CHARGED, "920000"),
        commitments=(
            CommitmentSpec("Accès ouvert en 2 jours ouvrés", "Access opened within 2 "
                           "business days", "95"),
        ),
        faqs=(
            FaqSpec("Puis-je l'utiliser sans réseau chez un client ?",
                    "Can I use it without a network at a customer's?",
                    "Oui, l'application mobile se synchronise à la prochaine connexion.",
                    "Yes, the mobile app syncs at the next connection."),
        ),
        news=(
            NewsSpec(40, "Offres signées en ligne", "Quotes signed online"),
        ),
        related=("tableaux-de-bord", "signature-electronique"),
        units=("VEN",),
    ),
    ServiceSpec(
        "plm-rd", "business", "DSI-APP",
        name=("Gestion du cycle de vie des produits (PLM)", "Product lifecycle management "
              "(PLM)"),
        promise=("Plans, nomenclatures et modifications produits partagés entre la R&D et "
                 "les usines.",
                 "Drawings, bills of materials and product changes shared between R&D and "
                 "the plants."),
        description=(
            "Le PLM garde la seule version à jour des plans 3D, des nomenclatures et des "
            "dossiers de conformité.\n\n"
            "Chaque modification suit un circuit de validation tracé, puis part en "
            "production.",
            "The PLM keeps the only current version of 3D models, bills of materials and "
            "compliance files.\n\n"
            "Every change follows a traced approval workflow, then goes to production.",
        ),
        how_to_get=("Le responsable de votre bureau d'études demande l'accès sur le portail.",
                    "Your design office manager asks for access on the portal."),
        keywords="plm, windchill, teamcenter, nomenclature, bom, bill of materials, plan, "
                 "drawing, cao, cad, modification, change, r&d, ingenierie",
        cost=Cost(USER_MONTH, "120.00", CHARGED, "1100000"),
        commitments=(
            CommitmentSpec("Accès ouvert en 3 jours ouvrés", "Access opened within 3 "
                           "business days", "90"),
            CommitmentSpec("Rétablissement en 4 h", "Restored within 4 hours", "4", HOURS),
        ),
        related=("station-cao",),
        units=("RD",),
    ),
    ServiceSpec(
        "gestion-contrats", "business", "DSI-APP",
        name=("Gestion des contrats", "Contract management"),
        promise=("Tous les contrats du groupe, leurs échéances et leurs versions signées.",
                 "Every group contract, its deadlines and its signed versions."),
        description=(
            "La direction juridique rédige, négocie et archive les contrats dans un outil "
            "unique, avec des modèles validés.\n\n"
            "- Alertes avant chaque échéance ou reconduction tacite\n"
            "- Versions comparées et historique des négociations\n"
            "- Accès restreint par dossier",
            "The legal department drafts, negotiates and files contracts in one tool, with "
            "approved templates.\n\n"
            "- Alerts before every deadline or automatic renewal\n"
            "- Versions compared and negotiation history kept\n"
            "- Access restricted per file",
        ),
        how_to_get=("Réservé à la direction juridique : le directeur juridique valide les "
                    "accès.",
                    "For the legal department only: the general counsel approves access."),
        keywords="contrat, contract, clm, juridique, legal, échéance, echeance, deadline, "
                 "renouvellement, renewal, avenant, amendment, nda",
        cost=Cost(USER_MONTH, "35.00", CHARGED, "90000"),
        commitments=(
            CommitmentSpec("Accès ouvert en 2 jours ouvrés", "Access opened within 2 "
                           "business days", "95"),
        ),
        related=("signature-electronique",),
        units=("JUR",),
    ),
    ServiceSpec(
        "paie-sirh", "business", "DSI-APP",
        name=("Paie et administration du personnel", "Payroll and HR administration"),
        promise=("La paie de 14 sociétés et les dossiers du personnel, juste et à l'heure.",
                 "Payroll for 14 companies and personnel files, right and on time."),
        description=(
            "Le SIRH calcule la paie, gère les contrats de travail, les absences et les "
            "déclarations sociales.\n\n"
            "Il est réservé aux équipes RH ; les collaborateurs consultent leurs bulletins "
            "dans **Mes congés et mon dossier RH**.",
            "The HRIS computes payroll and handles employment contracts, absences and "
            "social declarations.\n\n"
            "It is for HR teams only; employees see their payslips in **My leave and HR "
            "file**.",
        ),
        how_to_get=("Le responsable paie valide chaque accès.",
                    "The payroll manager approves each access."),
        keywords="paie, payroll, sirh, hris, salaire, salary, bulletin, payslip, dsn, "
                 "administration du personnel, contrat de travail, rh",
        cost=Cost(USER_MONTH, "14.00", INCLUDED, "1300000"),
        commitments=(
            CommitmentSpec("Paie versée à la date prévue", "Payroll paid on the scheduled "
                           "date", "100"),
            CommitmentSpec("Incident bloquant pris en charge en 30 min",
                           "Blocking incident handled within 30 minutes", "30", MINUTES),
        ),
        related=("conges-dossier-rh",),
        units=("RH",),
    ),
    ServiceSpec(
        "conges-dossier-rh", "business", "DSI-APP",
        name=("Mes congés et mon dossier RH", "My leave and HR file"),
        promise=("Posez vos congés, retrouvez vos bulletins de paie et mettez à jour vos "
                 "informations.",
                 "Book leave, find your payslips and update your details."),
        description=(
            "Le portail RH en libre-service est ouvert à tous les collaborateurs, sur "
            "ordinateur et smartphone :\n\n"
            "- demandes de congés et de RTT, validées par votre responsable\n"
            "- bulletins de paie dématérialisés, conservés 50 ans\n"
            "- changement d'adresse, de RIB ou de situation familiale",
            "The self-service HR portal is open to all employees, on computer and "
            "smartphone:\n\n"
            "- leave and RTT requests, approved by your manager\n"
            "- electronic payslips, kept for 50 years\n"
            "- change of address, bank details or family situation",
        ),
        how_to_get=("Connectez-vous avec votre compte du groupe, rien à demander.",
                    "Sign in with your group account, nothing to ask for."),
        keywords="congés, conges, vacances, leave, holiday, rtt, absence, bulletin de paie, "
                 "payslip, fiche de paie, rib, adresse, dossier rh, hr portal",
        cost=Cost(NONE, "", INCLUDED, "210000"),
        commitments=(
            CommitmentSpec("Portail disponible 99,5 % du temps", "Portal available 99.5% of "
                           "the time", "99.5"),
        ),
        faqs=(
            FaqSpec("Mon responsable est absent, qui valide mes congés ?",
                    "My manager is away, who approves my leave?",
                    "Son délégué, s'il en a désigné un ; sinon le responsable de niveau "
                    "supérieur après 5 jours.",
                    "Their delegate, if they named one; otherwise the next-level manager "
                    "after 5 days."),
            FaqSpec("Où trouver mes anciens bulletins ?", "Where are my old payslips?",
                    "Tous les bulletins depuis 2015 sont dans l'onglet **Paie**.",
                    "Every payslip since 2015 is in the **Pay** tab."),
        ),
        news=(
            NewsSpec(10, "Application mobile", "Mobile app",
                     "Posez vos congés depuis votre smartphone.",
                     "Book leave from your smartphone."),
        ),
        related=("paie-sirh",),
    ),
    ServiceSpec(
        "suivi-production-mes", "business", "DSI-APP",
        name=("Suivi de production (MES)", "Production tracking (MES)"),
        promise=("Chaque ordre de fabrication suivi en temps réel, de la ligne au "
                 "bureau.",
                 "Every work order tracked in real time, from the line to the office."),
        description=(
            "Le MES de l'usine de Valenciennes collecte les cadences, les arrêts et les "
            "rebuts de chaque ligne et les affiche en atelier.\n\n"
            "Saint-Étienne le rejoindra en 2027.",
            "The Valenciennes plant's MES collects the rates, stoppages and scrap of each "
            "line and shows them on the shop floor.\n\n"
            "Saint-Étienne will follow in 2027.",
        ),
        how_to_get=("Le chef d'atelier ouvre les accès ; la connexion se fait au badge.",
                    "The workshop manager grants access; sign-in is by badge."),
        keywords="mes, production, fabrication, atelier, ligne, line, cadence, rendement, "
                 "trs, oee, arrêt, arret, rebut, scrap, ordre de fabrication",
        cost=Cost(USER_MONTH, "48.00", CHARGED, "640000"),
        commitments=(
            CommitmentSpec("Incident bloquant pris en charge en 30 min, 24 h/24",
                           "Blocking incident handled within 30 minutes, 24/7", "30",
                           MINUTES),
        ),
        news=(
            NewsSpec(130, "Affichage des arrêts en temps réel",
                     "Stoppages shown in real time"),
        ),
        related=("gmao", "tablettes-atelier"),
        sites=("VAL",),
    ),
    ServiceSpec(
        "signature-electronique", "business", "DSI-APP",
        name=("Signature électronique", "Electronic signature"),
        promise=("Faites signer un contrat ou un bon de commande en ligne, en quelques "
                 "minutes.",
                 "Get a contract or a purchase order signed online, within minutes."),
        description=(
            "Fini l'impression, la signature et le scan : le document part par e-mail, le "
            "signataire signe sur son téléphone, la version signée est archivée.\n\n"
            "Le service couvrira les contrats, les bons de commande et les documents RH.",
            "No more printing, signing and scanning: the document goes by email, the "
            "signer signs on their phone, the signed version is archived.\n\n"
            "The service will cover contracts, purchase orders and HR documents.",
        ),
        how_to_get=("Pas encore disponible.", "Not available yet."),
        keywords="signature, e-signature, signer, sign, docusign, yousign, signature "
                 "électronique, signature electronique, parapheur",
        cost=Cost(REQUEST, "1.50", CHARGED, "40000"),
        commitments=(
            CommitmentSpec("Document signé archivé en 5 min", "Signed document archived "
                           "within 5 minutes", "5", MINUTES),
        ),
        related=("gestion-contrats", "crm-ventes"),
        lifecycle="proposed", publication="draft", demo_owner="owner",
    ),
    ServiceSpec(
        "portail-fournisseurs", "business", "DSI-APP",
        name=("Portail fournisseurs", "Supplier portal"),
        promise=("Vos fournisseurs déposent factures et confirmations de commande eux-mêmes.",
                 "Your suppliers upload invoices and order confirmations themselves."),
        description=(
            "Le portail donne aux fournisseurs un accès à leurs commandes, à l'état de leurs "
            "factures et à leurs documents de conformité.\n\n"
            "Moins de relances pour les acheteurs et la comptabilité.",
            "The portal gives suppliers access to their orders, the status of their "
            "invoices and their compliance documents.\n\n"
            "Fewer reminders for buyers and accounting.",
        ),
        how_to_get=("Ouverture prévue avec 50 fournisseurs pilotes au printemps 2027.",
                    "Opening planned with 50 pilot suppliers in spring 2027."),
        keywords="fournisseur, supplier, portail, portal, facture, invoice, commande, order, "
                 "achats, purchasing, vendor",
        cost=Cost(NONE, "", INCLUDED, "180000"),
        commitments=(
            CommitmentSpec("Compte fournisseur créé en 2 jours ouvrés",
                           "Supplier account created within 2 business days", "95"),
        ),
        related=("demandes-achat", "erp-finance"),
        lifecycle="design", publication="review", demo_owner="owner",
    ),
    ServiceSpec(
        "demandes-achat", "business", "DSI-APP",
        name=("Demandes d'achat", "Purchase requests"),
        promise=("Commandez auprès des fournisseurs référencés, validation comprise.",
                 "Order from listed suppliers, approval included."),
        description=(
            "Le catalogue d'achats propose les fournitures, le matériel et les prestations "
            "négociés par les achats.\n\n"
            "Votre demande suit le circuit de validation selon le montant, puis devient une "
            "commande dans l'ERP.",
            "The purchasing catalogue offers the supplies, equipment and services "
            "negotiated by purchasing.\n\n"
            "Your request follows the approval workflow for its amount, then becomes an "
            "order in the ERP.",
        ),
        how_to_get=("Ouvrez **Achats** depuis l'intranet ; tout collaborateur peut faire une "
                    "demande.",
                    "Open **Purchasing** from the intranet; any employee can make a "
                    "request."),
        keywords="achat, achats, purchase, purchasing, commande, order, bon de commande, po, "
                 "fournitures, supplies, catalogue, acheter, buy",
        cost=Cost(NONE, "", INCLUDED, "150000"),
        commitments=(
            CommitmentSpec("Demande validée en 3 jours ouvrés", "Request approved within 3 "
                           "business days", "85"),
        ),
        related=("erp-finance", "portail-fournisseurs"),
    ),
)


# --- Sécurité / Security ---

_SECURITY: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "double-authentification", "security", "DSI-CYB",
        name=("Double authentification (MFA)", "Two-step verification (MFA)"),
        promise=("Même si votre mot de passe est volé, votre compte reste protégé.",
                 "Even if your password is stolen, your account stays safe."),
        description=(
            "À chaque connexion depuis un nouvel appareil ou hors du réseau, une "
            "notification sur votre téléphone confirme que c'est bien vous.\n\n"
            "Sans téléphone professionnel, une clé de sécurité USB vous est remise.",
            "Each time you sign in from a new device or off the network, a notification on "
            "your phone confirms it is really you.\n\n"
            "Without a business phone, you get a USB security key.",
        ),
        how_to_get=(
            "1. Installez **Microsoft Authenticator** sur votre téléphone.\n"
            f"2. Ouvrez [la page d'inscription]({INTRANET}/securite/mfa) et scannez le "
            "code.\n"
            "3. Testez une connexion au webmail.",
            "1. Install **Microsoft Authenticator** on your phone.\n"
            f"2. Open [the sign-up page]({INTRANET}/securite/mfa) and scan the code.\n"
            "3. Try signing in to webmail.",
        ),
        keywords="mfa, 2fa, double authentification, two factor, authenticator, code, "
                 "notification, clé de sécurité, cle securite, yubikey, otp, sms",
        cost=Cost(USER_MONTH, "0.80", INCLUDED, "65000"),
        commitments=(
            CommitmentSpec("Clé de sécurité remise en 2 jours ouvrés",
                           "Security key handed over within 2 business days", "95"),
            CommitmentSpec("Compte débloqué en 15 min par le centre de services",
                           "Account unlocked within 15 minutes by the service desk", "15",
                           MINUTES),
        ),
        faqs=(
            FaqSpec("J'ai changé de téléphone.", "I changed phones.",
                    "Appelez le centre de services avant de rendre l'ancien : il réinitialise "
                    "votre inscription.",
                    "Call the service desk before handing back the old one: they reset your "
                    "registration."),
            FaqSpec("Puis-je recevoir un SMS à la place ?", "Can I get a text message "
                    "instead?",
                    "Non, les SMS sont trop faciles à détourner. Demandez une clé USB si "
                    "vous n'avez pas de smartphone.",
                    "No, text messages are too easy to hijack. Ask for a USB key if you "
                    "have no smartphone."),
        ),
        news=(
            NewsSpec(55, "MFA obligatoire pour tous", "MFA required for everyone",
                     "Depuis le 1er septembre, la double authentification protège tous les "
                     "comptes.",
                     "Since 1 September, two-step verification protects every account."),
        ),
        related=("teletravail-securise", "coffre-mots-de-passe", "reinitialisation-mot-de-passe"),
    ),
    ServiceSpec(
        "coffre-mots-de-passe", "security", "DSI-CYB",
        name=("Coffre-fort de mots de passe", "Password manager"),
        promise=("Des mots de passe forts et différents partout, sans avoir à les retenir.",
                 "Strong, different passwords everywhere, without remembering them."),
        description=(
            "Le coffre-fort génère et retient vos mots de passe des sites et applications "
            "qui n'utilisent pas votre compte du groupe.\n\n"
            "Les équipes peuvent partager des mots de passe de comptes communs en toute "
            "sécurité.",
            "The password manager creates and remembers your passwords for sites and apps "
            "that do not use your group account.\n\n"
            "Teams can share passwords of common accounts securely.",
        ),
        how_to_get=("Installez l'extension **Coffre Maréval** depuis le Centre logiciel.",
                    "Install the **Maréval Vault** extension from the Software Center."),
        keywords="mot de passe, password, mdp, coffre, vault, keepass, bitwarden, "
                 "gestionnaire, manager, partage mot de passe",
        cost=Cost(USER_MONTH, "2.50", INCLUDED, "40000"),
        commitments=(
            CommitmentSpec("Coffre d'équipe créé en 2 jours ouvrés",
                           "Team vault created within 2 business days", "95"),
        ),
        related=("double-authentification",),
    ),
    ServiceSpec(
        "sensibilisation-phishing", "security", "DSI-CYB",
        name=("Se protéger du phishing", "Staying safe from phishing"),
        promise=("Apprenez à repérer un e-mail piégé en 10 minutes par trimestre.",
                 "Learn to spot a trap email in 10 minutes a quarter."),
        description=(
            "Des modules courts et des exercices de faux phishing vous entraînent à "
            "reconnaître les pièges : fausse facture, faux livreur, faux président.\n\n"
            "Les résultats sont anonymes ; seuls les taux par direction sont suivis.",
            "Short modules and simulated phishing exercises train you to spot traps: fake "
            "invoice, fake delivery, fake CEO.\n\n"
            "Results are anonymous; only rates per department are tracked.",
        ),
        how_to_get=("Les modules arrivent par e-mail chaque trimestre.",
                    "Modules arrive by email every quarter."),
        keywords="phishing, hameçonnage, hameconnage, sensibilisation, awareness, "
                 "formation sécurité, security training, arnaque, scam, faux mail",
        cost=Cost(USER_MONTH, "0.40", INCLUDED, "35000"),
        commitments=(
            CommitmentSpec("Collaborateurs formés dans l'année", "Employees trained within "
                           "the year", "90"),
        ),
        news=(
            NewsSpec(85, "Campagne d'automne", "Autumn campaign",
                     "Thème : les fausses factures fournisseurs.",
                     "Theme: fake supplier invoices."),
            NewsSpec(265, "Taux de clic divisé par deux", "Click rate halved"),
        ),
        related=("signaler-incident-securite",),
    ),
    ServiceSpec(
        "signaler-incident-securite", "security", "DSI-CYB",
        name=("Signaler un e-mail suspect ou un incident", "Reporting a suspicious email or "
              "an incident"),
        promise=("Un doute ? Un clic suffit, l'équipe sécurité répond en 30 minutes.",
                 "In doubt? One click, and the security team answers within 30 minutes."),
        description=(
            "Le bouton **Signaler** d'Outlook envoie l'e-mail suspect à l'équipe sécurité "
            "et le retire de votre boîte.\n\n"
            "Pour un incident (ordinateur qui se comporte bizarrement, clic sur un lien "
            "douteux, perte de matériel), appelez le centre de services : **il vaut mieux "
            "signaler pour rien que trop tard**.",
            "Outlook's **Report** button sends the suspicious email to the security team "
            "and removes it from your mailbox.\n\n"
            "For an incident (a computer acting strangely, a click on a dubious link, lost "
            "equipment), call the service desk: **better to report for nothing than too "
            "late**.",
        ),
        how_to_get=("Bouton **Signaler** dans Outlook, ou le centre de services 24 h/24.",
                    "**Report** button in Outlook, or the service desk 24/7."),
        keywords="phishing, spam, suspect, suspicious, virus, malware, piratage, hack, "
                 "incident, fuite, leak, soc, cert, signaler, report, rançongiciel, ransomware",
        cost=Cost(NONE, "", INCLUDED, "420000"),
        commitments=(
            CommitmentSpec("Réponse à un signalement en 30 min", "Answer to a report within "
                           "30 minutes", "30", MINUTES),
            CommitmentSpec("Équipe sécurité joignable 24 h/24", "Security team reachable "
                           "24/7", "100"),
        ),
        related=("sensibilisation-phishing", "centre-de-services"),
    ),
    ServiceSpec(
        "voyage-pays-sensible", "security", "DSI-CYB",
        name=("Voyager avec un ordinateur à l'étranger", "Travelling abroad with a laptop"),
        promise=("Partez en mission sans exposer les données du groupe.",
                 "Go on a trip without exposing group data."),
        description=(
            "Pour certains pays, un portable et un téléphone de voyage vierges vous sont "
            "prêtés : seuls les documents utiles au déplacement y sont copiés.\n\n"
            "La liste des pays concernés est tenue à jour par la sûreté du groupe.",
            "For some countries, a blank travel laptop and phone are lent to you: only the "
            "documents the trip needs are copied onto them.\n\n"
            "The list of countries concerned is kept up to date by group security.",
        ),
        how_to_get=("Faites la demande sur le portail au moins 5 jours ouvrés avant le "
                    "départ.",
                    "Ask on the portal at least 5 business days before leaving."),
        keywords="voyage, travel, mission, étranger, etranger, abroad, pays, country, chine, "
                 "china, poste de voyage, travel laptop, déplacement",
        cost=Cost(REQUEST, "120.00", CHARGED, "25000"),
        commitments=(
            CommitmentSpec("Matériel prêt la veille du départ", "Equipment ready the day "
                           "before departure", "98"),
        ),
        related=("poste-portable", "smartphone-professionnel"),
    ),
    ServiceSpec(
        "connexion-sans-mot-de-passe", "security", "DSI-CYB",
        name=("Se connecter sans mot de passe", "Signing in without a password"),
        promise=("Votre visage ou votre empreinte à la place du mot de passe.",
                 "Your face or fingerprint instead of a password."),
        description=(
            "Windows Hello et les clés de sécurité permettent d'ouvrir sa session sans "
            "mot de passe, de façon plus sûre.\n\n"
            "Le pilote avec la DSI et la direction financière est en préparation.",
            "Windows Hello and security keys let you sign in without a password, more "
            "securely.\n\n"
            "A pilot with IT and finance is being prepared.",
        ),
        how_to_get=("Pas encore disponible.", "Not available yet."),
        keywords="sans mot de passe, passwordless, windows hello, empreinte, fingerprint, "
                 "visage, face, fido, passkey",
        cost=Cost(NONE, "", INCLUDED, "60000"),
        commitments=(
            CommitmentSpec("Pilote ouvert à 200 personnes", "Pilot open to 200 people",
                           "100"),
        ),
        related=("double-authentification",),
        lifecycle="design", publication="draft",
    ),
    ServiceSpec(
        "sauvegarde-fichiers", "security", "DSI-INFRA",
        name=("Sauvegarde et restauration de fichiers", "File backup and restore"),
        promise=("Un fichier effacé ou abîmé ? Il revient, jusqu'à 90 jours en arrière.",
                 "A file deleted or damaged? It comes back, up to 90 days ago."),
        description=(
            "OneDrive, les espaces d'équipe et les serveurs sont sauvegardés chaque nuit "
            "dans deux centres de données distincts.\n\n"
            "Vous restaurez vous-même un fichier de moins de 30 jours ; au-delà, le centre "
            "de services s'en charge.",
            "OneDrive, team spaces and servers are backed up every night in two separate "
            "data centres.\n\n"
            "You restore a file under 30 days old yourself; beyond that, the service desk "
            "does it.",
        ),
        how_to_get=("Clic droit sur le dossier, **Versions précédentes**. Sinon, faites la "
                    "demande sur le portail.",
                    "Right-click the folder, **Previous versions**. Otherwise, ask on the "
                    "portal."),
        keywords="sauvegarde, backup, restaurer, restore, restauration, fichier supprimé, "
                 "fichier supprime, deleted file, corbeille, recycle bin, version",
        cost=Cost(USER_MONTH, "1.90", INCLUDED, "150000"),
        commitments=(
            CommitmentSpec("Fichier restauré en 1 jour ouvré", "File restored within 1 "
                           "business day", "95"),
        ),
        related=("espaces-equipe", "lecteurs-reseau"),
    ),
)


# --- Assistance / Support ---

_SUPPORT: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "centre-de-services", "support", "DSI-SUP",
        name=("Centre de services informatiques", "IT service desk"),
        promise=("Un seul numéro pour toute question ou panne informatique, 24 h/24.",
                 "One number for any IT question or breakdown, 24/7."),
        description=(
            "Le centre de services répond en français, en anglais et en espagnol, par "
            "téléphone, chat ou portail.\n\n"
            "- **Téléphone** : 01 70 00 12 34, ou le 1234 depuis un site\n"
            "- **Chat** : depuis l'intranet, du lundi au vendredi de 7 h à 20 h\n"
            f"- **Portail** : [servicedesk.mareval-industries.com]({SERVICE_DESK}), pour "
            "suivre vos demandes\n\n"
            "Sept appels sur dix sont résolus pendant l'appel.",
            "The service desk answers in French, English and Spanish, by phone, chat or "
            "portal.\n\n"
            "- **Phone**: +33 1 70 00 12 34, or 1234 from a site\n"
            "- **Chat**: from the intranet, Monday to Friday 7 am to 8 pm\n"
            f"- **Portal**: [servicedesk.mareval-industries.com]({SERVICE_DESK}), to "
            "follow your requests\n\n"
            "Seven calls out of ten are solved during the call.",
        ),
        how_to_get=("Appelez le **1234**, ou ouvrez le chat depuis l'intranet.",
                    "Call **1234**, or open the chat from the intranet."),
        keywords="hotline, helpdesk, help desk, service desk, support, assistance, aide, "
                 "help, panne, problème, probleme, ticket, incident, ça marche pas, ca marche "
                 "pas, 1234",
        cost=Cost(REQUEST, "18.00", INCLUDED, "1450000"),
        commitments=(
            CommitmentSpec("Appel décroché en moins de 60 s", "Call answered within 60 "
                           "seconds", "85"),
            CommitmentSpec("Résolu pendant l'appel", "Solved during the call", "70"),
            CommitmentSpec("Incident résolu en 1 jour ouvré", "Incident solved within 1 "
                           "business day", "90"),
        ),
        faqs=(
            FaqSpec("Comment suivre ma demande ?", "How do I follow my request?",
                    "Sur le portail, rubrique **Mes demandes** ; vous recevez aussi un "
                    "e-mail à chaque étape.",
                    "On the portal, under **My requests**; you also get an email at each "
                    "step."),
            FaqSpec("Le chat est-il ouvert le week-end ?", "Is the chat open at weekends?",
                    "Non, mais le téléphone répond 24 h/24, 7 j/7.",
                    "No, but the phone line answers 24/7."),
        ),
        news=(
            NewsSpec(5, "Chat ouvert jusqu'à 20 h", "Chat open until 8 pm"),
            NewsSpec(150, "Accueil en espagnol", "Spanish-speaking agents"),
        ),
        related=("assistance-proximite", "demande-acces"),
    ),
    ServiceSpec(
        "assistance-proximite", "support", "DSI-SUP",
        name=("Assistance de proximité", "On-site support"),
        promise=("Un technicien sur votre site quand il faut intervenir sur place.",
                 "A technician on your site when the fix must be done in person."),
        description=(
            "Les techniciens de proximité sont présents sur les 12 principaux sites, usines "
            "comprises. Ils réparent, remplacent et installent le matériel.\n\n"
            "Le **point d'assistance** de chaque site accueille sans rendez-vous de 8 h 30 "
            "à 17 h.",
            "On-site technicians are present on the 12 main sites, plants included. They "
            "repair, replace and install equipment.\n\n"
            "Each site's **support point** welcomes walk-ins from 8:30 am to 5 pm.",
        ),
        how_to_get=("Passez au point d'assistance, ou appelez le centre de services qui "
                    "envoie un technicien.",
                    "Drop by the support point, or call the service desk, which sends a "
                    "technician."),
        keywords="technicien, technician, proximité, proximite, sur site, on site, desk side, "
                 "point d'assistance, réparation, reparation, repair, walk-in",
        cost=Cost(REQUEST, "42.00", INCLUDED, "1100000"),
        commitments=(
            CommitmentSpec("Intervention sur site en 4 h ouvrées", "On-site visit within 4 "
                           "business hours", "90"),
        ),
        news=(
            NewsSpec(95, "Point d'assistance à Orléans", "Support point in Orléans"),
        ),
        related=("centre-de-services", "poste-portable"),
    ),
    ServiceSpec(
        "demande-acces", "support", "DSI-APP",
        name=("Demander un accès à une application", "Requesting access to an application"),
        promise=("Un seul formulaire pour tous vos accès, validés par votre responsable.",
                 "One form for all your accesses, approved by your manager."),
        description=(
            "Choisissez l'application et le rôle ; la demande part chez votre responsable "
            "puis chez le propriétaire de l'application.\n\n"
            "Vous suivez chaque étape et êtes prévenu dès que l'accès est ouvert.",
            "Pick the application and the role; the request goes to your manager, then to "
            "the application owner.\n\n"
            "You follow each step and are told as soon as access is open.",
        ),
        how_to_get=("Sur le portail, **Demander un accès**.",
                    "On the portal, **Request access**."),
        keywords="accès, acces, access, droits, rights, habilitation, permission, compte, "
                 "account, autorisation, role, ouvrir un accès",
        cost=Cost(REQUEST, "12.00", INCLUDED, "80000"),
        commitments=(
            CommitmentSpec("Compte créé en 1 jour ouvré après validation",
                           "Account created within 1 business day after approval", "95"),
        ),
        related=("centre-de-services", "arrivee-nouveau-collaborateur"),
    ),
    ServiceSpec(
        "arrivee-nouveau-collaborateur", "support", "DSI-SUP",
        name=("Accueillir un nouveau collaborateur", "Welcoming a new employee"),
        promise=("Compte, ordinateur et accès prêts dès le premier jour.",
                 "Account, computer and accesses ready on day one."),
        description=(
            "Dès que les RH enregistrent l'arrivée, le compte est créé et le poste préparé. "
            "Le responsable choisit les accès métier dans la même demande.\n\n"
            "Le jour J, le nouvel arrivant récupère son matériel au point d'assistance.",
            "As soon as HR records the arrival, the account is created and the computer "
            "prepared. The manager picks business accesses in the same request.\n\n"
            "On day one, the newcomer collects their equipment at the support point.",
        ),
        how_to_get=("Le responsable complète la demande **Arrivée** au moins 10 jours "
                    "ouvrés avant.",
                    "The manager fills in the **Arrival** request at least 10 business days "
                    "before."),
        keywords="arrivée, arrivee, onboarding, nouvel arrivant, newcomer, new hire, "
                 "embauche, premier jour, first day, départ, depart, leaver, offboarding",
        cost=Cost(REQUEST, "65.00", INCLUDED, "60000"),
        commitments=(
            CommitmentSpec("Tout prêt le premier jour", "Everything ready on day one", "95"),
        ),
        related=("poste-portable", "demande-acces"),
    ),
    ServiceSpec(
        "ateliers-tutoriels", "support", "DSI-SUP",
        name=("Ateliers et tutoriels bureautiques", "Office tools workshops and tutorials"),
        promise=("Des ateliers d'une heure et des vidéos de 3 minutes pour gagner du temps.",
                 "One-hour workshops and 3-minute videos to save time."),
        description=(
            "Excel, Teams, OneDrive, Outlook : les ateliers ont lieu chaque semaine en "
            "visio, les tutoriels sont disponibles à tout moment.\n\n"
            f"Le [programme du mois]({INTRANET}/formation/ateliers) est sur l'intranet.",
            "Excel, Teams, OneDrive, Outlook: workshops run every week on video, tutorials "
            "are available any time.\n\n"
            f"The [month's programme]({INTRANET}/formation/ateliers) is on the intranet.",
        ),
        how_to_get=("Inscrivez-vous depuis le programme, sans validation.",
                    "Sign up from the programme, no approval needed."),
        keywords="formation, training, tutoriel, tutorial, atelier, workshop, excel, word, "
                 "powerpoint, teams, apprendre, learn, astuces, tips",
        cost=Cost(NONE, "", INCLUDED, "45000"),
        commitments=(
            CommitmentSpec("Participants satisfaits", "Satisfied participants", "90"),
        ),
        related=("espaces-equipe", "visioconference"),
    ),
    ServiceSpec(
        "reinitialisation-mot-de-passe", "support", "DSI-SUP",
        name=("Réinitialiser son mot de passe", "Resetting your password"),
        promise=("Mot de passe oublié ou compte bloqué : débloquez-vous vous-même en 2 "
                 "minutes.",
                 "Forgotten password or locked account: unlock it yourself in 2 minutes."),
        description=(
            "La réinitialisation en libre-service vérifie votre identité par la double "
            "authentification, puis vous laisse choisir un nouveau mot de passe.\n\n"
            "Elle fonctionne depuis l'écran de connexion Windows et depuis un smartphone.",
            "Self-service reset checks your identity with two-step verification, then lets "
            "you choose a new password.\n\n"
            "It works from the Windows sign-in screen and from a smartphone.",
        ),
        how_to_get=("Sur l'écran de connexion, **Mot de passe oublié ?**.",
                    "On the sign-in screen, **Forgot password?**."),
        keywords="mot de passe, password, oublié, oublie, forgot, bloqué, bloque, locked, "
                 "reset, réinitialiser, reinitialiser, déverrouiller, unlock, compte bloqué",
        cost=Cost(NONE, "", INCLUDED, "20000"),
        commitments=(
            CommitmentSpec("Compte débloqué en 15 min par le centre de services",
                           "Account unlocked within 15 minutes by the service desk", "15",
                           MINUTES),
        ),
        related=("double-authentification", "centre-de-services"),
    ),
)

#: Every hand-written service, families interleaved so that the first N of a smaller
#: catalogue (``--services 20``) still spread over every family.
SERVICES: tuple[ServiceSpec, ...] = tuple(
    spec
    for row in zip_longest(_REMOTE, _COLLAB, _DEVICES, _DATA, _BUSINESS, _SECURITY, _SUPPORT)
    for spec in row
    if spec is not None
)

#: The IT teams whose people own services (the IT marketing team owns none).
OWNER_TEAMS = ("DSI-INFRA", "DSI-APP", "DSI-SUP", "DSI-CYB")


# --- Word lists for the generated services of larger catalogues (``--services N``). ---
# Every text is a pair (French, English); "{t}" is the topic in French (with its article),
# "{te}" in English.

#: Offer family code → what its generated services are called.
GENERATED_KINDS: dict[str, Pair] = {
    "remote": ("Accès distant", "remote access"),
    "collab": ("Espace collaboratif", "collaboration space"),
    "devices": ("Équipement", "equipment"),
    "data": ("Tableau de bord", "dashboard"),
    "business": ("Application métier", "business application"),
    "security": ("Contrôle de sécurité", "security control"),
    "support": ("Assistance", "support desk"),
}

#: (French with its article, English, keywords people type).
GENERATED_TOPICS: tuple[tuple[str, str, str], ...] = (
    ("des achats", "purchasing", "achats, achat, acheteur, purchase, buyer"),
    ("de la qualité", "quality", "qualite, qualité, quality, non-conformité, audit"),
    ("de la maintenance", "maintenance", "maintenance, panne, breakdown, intervention"),
    ("des expéditions", "shipping", "expedition, expédition, shipping, colis, parcel"),
    ("des ventes export", "export sales", "export, ventes, sales, international"),
    ("de la paie", "payroll", "paie, payroll, salaire, salary"),
    ("de la trésorerie", "treasury", "tresorerie, trésorerie, treasury, banque, bank"),
    ("des essais", "testing", "essais, tests, laboratoire, lab"),
    ("de l'atelier", "workshop", "atelier, workshop, ligne, line"),
    ("des contrats", "contract", "contrat, contract, juridique, legal"),
    ("du recrutement", "recruitment", "recrutement, recruiting, candidat, candidate"),
    ("des stocks", "inventory", "stock, inventaire, inventory"),
    ("des réclamations clients", "customer complaint",
     "reclamation, réclamation, complaint, client, customer"),
    ("de la formation", "training", "formation, training, cours, course"),
    ("des fournisseurs", "supplier", "fournisseur, supplier, vendor"),
    ("de l'énergie", "energy", "energie, énergie, energy, electricite, electricity"),
    ("des transports", "transport", "transport, camion, truck, livraison, delivery"),
    ("de la conformité", "compliance", "conformite, conformité, compliance, reglementation"),
    ("des prototypes", "prototyping", "prototype, maquette, mock-up, r&d"),
    ("de l'environnement", "environmental", "environnement, environment, dechets, waste"),
)

GENERATED_PROMISES: tuple[Pair, ...] = (
    ("Suivez l'activité {t} en temps réel.", "Follow {te} activity in real time."),
    ("Toutes les demandes {t} au même endroit.", "All {te} requests in one place."),
    ("Moins de ressaisie, des chiffres {t} fiables.", "Less retyping, reliable {te} figures."),
    ("Un outil simple pour le quotidien {t}.", "A simple tool for everyday {te} work."),
    ("Gagnez du temps sur le suivi {t}.", "Save time on {te} follow-up."),
)

GENERATED_INTROS: tuple[Pair, ...] = (
    ("Ce service aide les équipes {t} à gagner du temps au quotidien.",
     "This service helps {te} teams save time every day."),
    ("Il remplace les fichiers Excel échangés par e-mail pour le suivi {t}.",
     "It replaces the Excel files swapped by email for {te} follow-up."),
    ("Il réunit en un seul endroit les informations {t} dispersées entre plusieurs outils.",
     "It brings together {te} information scattered across several tools."),
)

GENERATED_BENEFITS: tuple[Pair, ...] = (
    ("Accessible depuis le portable et le smartphone", "Available on laptop and smartphone"),
    ("Connexion avec votre compte du groupe", "Sign in with your group account"),
    ("Historique conservé et consultable", "History kept and searchable"),
    ("Alertes par e-mail aux bonnes personnes", "Email alerts to the right people"),
    ("Exports vers Excel en un clic", "One-click exports to Excel"),
    ("Données mises à jour chaque nuit", "Data refreshed every night"),
)

GENERATED_STEPS: tuple[Pair, ...] = (
    ("1. Faites la demande sur le portail.\n2. Votre responsable la valide.\n"
     "3. Vous recevez un e-mail dès que c'est prêt.",
     "1. Ask on the portal.\n2. Your manager approves.\n"
     "3. You get an email as soon as it is ready."),
    ("Ouvrez le service depuis l'intranet : aucune demande n'est nécessaire.",
     "Open the service from the intranet: no request needed."),
    ("1. Demandez l'accès sur le portail.\n2. Suivez la formation en ligne de 20 minutes.",
     "1. Ask for access on the portal.\n2. Follow the 20-minute online training."),
)

GENERATED_COMMITMENTS: tuple[CommitmentSpec, ...] = (
    CommitmentSpec("Accès ouvert en 2 jours ouvrés", "Access opened within 2 business days",
                   "95"),
    CommitmentSpec("Service disponible 99,5 % du temps", "Service available 99.5% of the time",
                   "99.5"),
    CommitmentSpec("Rétablissement en 4 h", "Restored within 4 hours", "4", HOURS),
    CommitmentSpec("Incident bloquant pris en charge en 30 min",
                   "Blocking incident handled within 30 minutes", "30", MINUTES),
    CommitmentSpec("Demande traitée en 3 jours ouvrés", "Request handled within 3 business "
                   "days", "3", DAYS),
)

GENERATED_FAQS: tuple[FaqSpec, ...] = (
    FaqSpec("Qui peut l'utiliser ?", "Who can use it?",
            "Les personnes de son public, avec l'accord de leur responsable.",
            "The people of its audience, with their manager's approval."),
    FaqSpec("Qui contacter en cas de problème ?", "Who do I contact if something goes wrong?",
            "Le centre de services, au 1234, 24 h/24.", "The service desk, on 1234, 24/7."),
    FaqSpec("Est-il disponible sur smartphone ?", "Is it available on smartphones?",
            "Oui, depuis le navigateur du téléphone.", "Yes, from the phone's browser."),
)

GENERATED_NEWS: tuple[Pair, ...] = (
    ("Nouvelle version", "New version"),
    ("Temps de réponse amélioré", "Faster response times"),
    ("Ouverture à de nouveaux sites", "Opened to more sites"),
    ("Maintenance programmée terminée", "Planned maintenance completed"),
)
