"""Which column of an export holds which of Phare's fields: :func:`propose_mapping`.

A header is recognised by the system's field names (ServiceNow's ``number``, ``opened_at``…,
Phare's own API names) and by the labels a list export writes instead, in English, French,
German, Spanish, Portuguese and Italian (ServiceNow's incident form labels, GLPI's search
option names). A name matched exactly is sure; a name only *containing* a field's word
("Date de résolution du ticket") is a guess, listed in ``unsure`` for a person to confirm, as
is a required field that no column seems to hold.

The language of the labels matched is kept: when every date of a file could be read day-first
or month-first, the convention of that language decides (see :mod:`.dates`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SYSTEMS = ("servicenow", "glpi", "generic")
SYSTEM_NAMES = {"servicenow": "ServiceNow", "glpi": "GLPI", "generic": "Phare"}


def normalise(word: str) -> str:
    """Lower case, no accents, runs of spaces, hyphens, dots and underscores as one "_"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word)
                    if not unicodedata.combining(c))
    return re.sub(r"[\s\-_.]+", "_", plain.strip().lower().replace("’", "'")).strip("_")


#: Phare's fields an export may fill, in the order the mapping page shows them, with their
#: names for people.
FIELDS: dict[str, object] = {
    "external_id": _("Ticket number"),
    "opened_at": _("Opened"),
    "resolved_at": _("Resolved"),
    "closed_at": _("Closed"),
    "updated_at": _("Updated (one row per update)"),
    "state": _("State"),
    "subject": _("Short description"),
    "category": _("Category"),
    "channel": _("Channel"),
    "assignment_group": _("Assignment group"),
    "reassignment_count": _("Reassignment count"),
    "requester": _("Caller or requester"),
    "requester_email": _("Requester email"),
    "requester_employee_id": _("Requester employee id"),
    "service": _("Business service"),
    "ci": _("Configuration item"),
}
#: Without these, a file cannot be imported (an event log may do without the dates: its
#: updates and states tell them, see :mod:`.events`).
REQUIRED = ("external_id", "opened_at", "resolved_at")

# Per system, per field: the names that hold it; key "" for field names (no language), else
# the language of the labels. The first name present in a header wins.
L = dict[str, tuple[str, ...]]
SERVICENOW: dict[str, L] = {
    "external_id": {"": ("number", "sys_id"), "en": ("Number",),
                    "fr": ("Numéro",), "de": ("Nummer",), "es": ("Número",),
                    "pt": ("Número",), "it": ("Numero",)},
    "opened_at": {"": ("opened_at", "sys_created_on", "sys_created_at"),
                  "en": ("Opened", "Created"), "fr": ("Ouvert", "Ouvert le", "Créé"),
                  "de": ("Geöffnet", "Erstellt"), "es": ("Abierto", "Creado"),
                  "pt": ("Aberto", "Criado", "Criado em"), "it": ("Aperto", "Creato")},
    "resolved_at": {"": ("resolved_at",), "en": ("Resolved",), "fr": ("Résolu", "Résolu le"),
                    "de": ("Gelöst",), "es": ("Resuelto",), "pt": ("Resolvido",),
                    "it": ("Risolto",)},
    "closed_at": {"": ("closed_at",), "en": ("Closed",), "fr": ("Fermé", "Clôturé"),
                  "de": ("Geschlossen",), "es": ("Cerrado",), "pt": ("Encerrado", "Fechado"),
                  "it": ("Chiuso",)},
    "updated_at": {"": ("sys_updated_on", "sys_updated_at", "update_time", "timestamp",
                        "DateStamp", "Change Date+Time"),
                   "en": ("Updated", "Update time"), "fr": ("Mis à jour", "Mise à jour"),
                   "de": ("Aktualisiert",), "es": ("Actualizado",), "pt": ("Atualizado",),
                   "it": ("Aggiornato",)},
    "state": {"": ("incident_state", "state", "status"), "en": ("State", "Incident state",
                                                                "Status"),
              "fr": ("État", "Etat", "Statut"), "de": ("Status", "Zustand"),
              "es": ("Estado",), "pt": ("Estado", "Status"), "it": ("Stato",)},
    "subject": {"": ("short_description",), "en": ("Short description",),
                "fr": ("Description courte", "Brève description"),
                "de": ("Kurzbeschreibung",), "es": ("Descripción breve",),
                "pt": ("Descrição resumida", "Breve descrição"),
                "it": ("Breve descrizione", "Descrizione breve")},
    "category": {"": ("category",), "en": ("Category",), "fr": ("Catégorie",),
                 "de": ("Kategorie",), "es": ("Categoría",), "pt": ("Categoria",),
                 "it": ("Categoria",)},
    "channel": {"": ("contact_type",), "en": ("Channel", "Contact type"),
                "fr": ("Canal", "Type de contact"), "de": ("Kanal", "Kontakttyp"),
                "es": ("Canal", "Tipo de contacto"), "pt": ("Canal", "Tipo de contato"),
                "it": ("Canale", "Tipo di contatto")},
    "assignment_group": {"": ("assignment_group",), "en": ("Assignment group",),
                         "fr": ("Groupe d'affectation",), "de": ("Zuweisungsgruppe",),
                         "es": ("Grupo de asignación",), "pt": ("Grupo de atribuição",),
                         "it": ("Gruppo di assegnazione",)},
    "reassignment_count": {"": ("reassignment_count",), "en": ("Reassignment count",),
                           "fr": ("Nombre de réaffectations",),
                           "de": ("Anzahl Neuzuweisungen", "Neuzuweisungsanzahl"),
                           "es": ("Recuento de reasignaciones",),
                           "pt": ("Contagem de reatribuições",),
                           "it": ("Conteggio riassegnazioni",)},
    "requester_employee_id": {"": ("u_requester_employee_id", "caller_id.employee_number"),
                              "en": ("Caller.Employee number",)},
    "requester_email": {"": ("caller_id.email", "u_requester_email"),
                        "en": ("Caller.Email",)},
    "requester": {"": ("caller_id", "opened_for"), "en": ("Caller",),
                  "fr": ("Appelant", "Demandeur"), "de": ("Anrufer",),
                  "es": ("Autor de la llamada", "Llamante"), "pt": ("Chamador", "Autor da chamada"),
                  "it": ("Chiamante",)},
    "service": {"": ("u_catalog_service", "business_service", "service_offering"),
                "en": ("Service", "Service offering", "Business service"),
                "fr": ("Service", "Offre de service", "Service métier"),
                "de": ("Service", "Serviceangebot", "Business-Service"),
                "es": ("Servicio", "Oferta de servicio"),
                "pt": ("Serviço", "Oferta de serviço"),
                "it": ("Servizio", "Offerta di servizio")},
    "ci": {"": ("cmdb_ci",), "en": ("Configuration item",),
           "fr": ("Élément de configuration",), "de": ("Konfigurationselement",),
           "es": ("Elemento de configuración",), "pt": ("Item de configuração",),
           "it": ("Elemento di configurazione",)},
}
GLPI: dict[str, L] = {
    "external_id": {"": ("ID", "id", "tickets_id")},
    "opened_at": {"": ("date",), "en": ("Opening date",), "fr": ("Date d'ouverture",),
                  "de": ("Eröffnungsdatum",), "es": ("Fecha de apertura",),
                  "pt": ("Data de abertura",), "it": ("Data di apertura",)},
    "resolved_at": {"": ("solvedate",), "en": ("Resolution date",),
                    "fr": ("Date de résolution",), "de": ("Lösungsdatum",),
                    "es": ("Fecha de resolución",),
                    "pt": ("Data de solução", "Data de resolução"),
                    "it": ("Data di risoluzione",)},
    "closed_at": {"": ("closedate",), "en": ("Closing date",), "fr": ("Date de clôture",),
                  "de": ("Schließungsdatum", "Abschlussdatum"), "es": ("Fecha de cierre",),
                  "pt": ("Data de fechamento", "Data de fecho"),
                  "it": ("Data di chiusura",)},
    "updated_at": {"": ("date_mod",), "en": ("Last update",),
                   "fr": ("Dernière modification",), "de": ("Letzte Änderung",),
                   "es": ("Última modificación",), "pt": ("Última atualização",),
                   "it": ("Ultima modifica",)},
    "state": {"": ("status",), "en": ("Status",), "fr": ("Statut",), "de": ("Status",),
              "es": ("Estado",), "pt": ("Status", "Estado"), "it": ("Stato",)},
    "subject": {"": ("name",), "en": ("Title",), "fr": ("Titre",), "de": ("Titel",),
                "es": ("Título",), "pt": ("Título",), "it": ("Titolo",)},
    "category": {"": ("itilcategories_id",), "en": ("Category",), "fr": ("Catégorie",),
                 "de": ("Kategorie",), "es": ("Categoría",), "pt": ("Categoria",),
                 "it": ("Categoria",)},
    "channel": {"": ("requesttypes_id",), "en": ("Request source",),
                "fr": ("Source de la demande",), "de": ("Anfragequelle",),
                "es": ("Origen de la solicitud", "Fuente de la solicitud"),
                "pt": ("Origem da requisição", "Origem do pedido"),
                "it": ("Fonte della richiesta",)},
    "assignment_group": {"en": ("Technician group", "Assigned to - Group"),
                         "fr": ("Groupe technicien", "Attribué à - Groupe"),
                         "de": ("Zugewiesen an - Gruppe", "Technikergruppe"),
                         "es": ("Asignado a - Grupo", "Grupo técnico"),
                         "pt": ("Atribuído para - Grupo", "Grupo técnico"),
                         "it": ("Assegnato a - Gruppo", "Gruppo tecnico")},
    "requester_employee_id": {"en": ("Requester - Administrative number",),
                              "fr": ("Demandeur - Matricule",)},
    "requester_email": {"en": ("Requester - Email", "Requester - Email address",
                               "Requester - Email addresses"),
                        "fr": ("Demandeur - Adresse de messagerie", "Demandeur - Courriel",
                               "Demandeur - Adresses de messagerie")},
    "requester": {"en": ("Requester - Requester", "Requester"),
                  "fr": ("Demandeur - Demandeur", "Demandeur"),
                  "de": ("Anforderer - Anforderer", "Anforderer"),
                  "es": ("Solicitante - Solicitante", "Solicitante"),
                  "pt": ("Requerente - Requerente", "Requerente"),
                  "it": ("Richiedente - Richiedente", "Richiedente")},
    "service": {"": ("Service",), "es": ("Servicio",), "pt": ("Serviço",),
                "it": ("Servizio",)},
    "ci": {"en": ("Associated element", "Items"), "fr": ("Élément associé", "Éléments"),
           "de": ("Zugehöriges Element",), "es": ("Elemento asociado",),
           "pt": ("Item associado",), "it": ("Elemento associato",)},
}
# Phare's own columns (the API's names), and those of process-mining event logs (XES as CSV,
# the BPI challenge incident logs): case, timestamp, activity.
GENERIC: dict[str, L] = {
    "external_id": {"": ("external_id", "case:concept:name", "Case ID", "case_id",
                         "Incident ID", "SR Number")},
    "opened_at": {"": ("opened_at",)},
    "resolved_at": {"": ("resolved_at",)}, "closed_at": {"": ("closed_at",)},
    "updated_at": {"": ("updated_at", "time:timestamp", "Complete Timestamp", "timestamp",
                        "DateStamp", "Change Date+Time")},
    "state": {"": ("state", "concept:name", "Activity", "IncidentActivity_Type", "Status")},
    "subject": {"": ("subject",)}, "category": {"": ("category",)},
    "channel": {"": ("channel",)}, "assignment_group": {"": ("assignment_group",)},
    "reassignment_count": {"": ("reassignment_count",)},
    "requester_employee_id": {"": ("requester_employee_id",)},
    "requester_email": {"": ("requester_email",)}, "service": {"": ("service",)},
    "ci": {"": ("service_label",)},
}
ALIASES = {"servicenow": SERVICENOW, "glpi": GLPI, "generic": GENERIC}

#: Words that suggest a field in a name no alias matched (normalised, matched inside it).
HINTS: dict[str, tuple[str, ...]] = {
    "resolved_at": ("resol", "solu", "geloest", "gelost", "risolt", "resuelt", "resolv"),
    "closed_at": ("clos", "clotur", "ferme", "cierre", "chiu", "schlie", "encerr"),
    "opened_at": ("open", "ouvert", "ouvertur", "apert", "abert", "geoffn", "eroff"),
    "assignment_group": ("group", "groupe", "grupo", "gruppe", "gruppo"),
    "requester_email": ("email", "e_mail", "courriel", "messagerie"),
    "channel": ("channel", "canal", "canale", "kanal", "source"),
    "category": ("categ", "kategor"),
}
#: Languages whose people write dates day-first; English is both (US month-first).
DAY_FIRST_LANGUAGES = {"fr", "de", "es", "pt", "it"}


@dataclass
class Proposal:
    """What Phare makes of a header: the system, the column (its position) of each field, the
    fields it only guessed or could not find, the labels' language, the header's shape."""

    system: str
    columns: dict[str, int]
    unsure: list[str]
    missing: list[str]
    language: str
    signature: str
    header: list[str] = field(default_factory=list)

    @property
    def sure(self) -> bool:
        return not self.unsure and not self.missing

    def names(self) -> dict[str, str]:
        """Field → the column's name as the file writes it."""
        return {key: self.header[position] for key, position in self.columns.items()}


def signature(header: Sequence[str]) -> str:
    """The shape of a header: the same names in the same order give the same signature."""
    digest = hashlib.sha256("\x1f".join(normalise(name) for name in header).encode())
    return digest.hexdigest()[:32]


def _positions(header: Sequence[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        positions.setdefault(normalise(name), position)  # a repeated name counts once
    return positions


def _match(system: str, positions: Mapping[str, int]
           ) -> tuple[dict[str, int], Counter[str]]:
    columns: dict[str, int] = {}
    languages: Counter[str] = Counter()
    taken: set[int] = set()
    for key, by_language in ALIASES[system].items():
        for language, names in by_language.items():
            found = next((positions[normalise(n)] for n in names
                          if normalise(n) in positions and positions[normalise(n)] not in taken),
                         None)
            if found is not None:
                columns[key] = found
                taken.add(found)
                if language:
                    languages[language] += 1
                break
    return columns, languages


def _score(system: str, columns: Mapping[str, int]) -> tuple[int, int]:
    return (int("external_id" in columns) + int("opened_at" in columns or
                                                 "updated_at" in columns), len(columns))


def propose_mapping(header: Sequence[str], system: str = "auto") -> Proposal:
    """The mapping Phare proposes for this header (``system``: auto, servicenow, glpi or
    generic)."""
    positions = _positions(header)
    systems = SYSTEMS if system == "auto" else (system,)
    matches = {name: _match(name, positions) for name in systems}
    chosen = max(systems, key=lambda name: _score(name, matches[name][0]))
    columns, languages = matches[chosen]
    unsure: list[str] = []
    taken = set(columns.values())
    for key, hints in HINTS.items():
        if key in columns:
            continue
        guess = next((position for name, position in positions.items()
                      if position not in taken and any(h in name for h in hints)), None)
        if guess is not None:
            columns[key] = guess
            taken.add(guess)
            unsure.append(key)
    missing = [key for key in REQUIRED if key not in columns]
    if "resolved_at" in missing and "closed_at" in columns:
        missing.remove("resolved_at")  # the closing date stands in for it
    if "updated_at" in columns and "state" in columns:
        # An event log: its updates tell when a ticket opened and was resolved.
        missing = [key for key in missing if key == "external_id"]
    language = languages.most_common(1)[0][0] if languages else ""
    return Proposal(system=chosen, columns=columns, unsure=unsure, missing=missing,
                    language=language, signature=signature(header), header=list(header))


def apply_names(proposal: Proposal, names: Mapping[str, str]) -> Proposal:
    """The proposal with the columns a person chose (field → column name; an empty name
    leaves the field out): every field is then sure."""
    positions = {name: position for position, name in reversed(list(enumerate(
        proposal.header)))}
    columns = {key: positions[name] for key, name in names.items()
               if name and name in positions and key in FIELDS}
    missing = [key for key in REQUIRED if key not in columns]
    if "resolved_at" in missing and "closed_at" in columns:
        missing.remove("resolved_at")
    if "updated_at" in columns and "state" in columns:
        missing = [key for key in missing if key == "external_id"]
    return Proposal(system=proposal.system, columns=columns, unsure=[], missing=missing,
                    language=proposal.language, signature=proposal.signature,
                    header=proposal.header)


def day_first_by_language(language: str) -> bool | None:
    """Whether the labels' language writes dates day-first (None: it does not say)."""
    return True if language in DAY_FIRST_LANGUAGES else None
