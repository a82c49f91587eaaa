"""Builds the ticket exports of this folder, to the formats ServiceNow and GLPI write them.

Columns and labels follow the systems' documentation (ServiceNow's incident table and its form
labels in each language; GLPI's search options as its list export names them); every value is
invented. Run ``python tests/tickets/data/build.py`` to write them again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def write(name: str, text: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(text.replace("\n", "\r\n").encode(encoding))


# ServiceNow list export, English labels, US user date format (month first, 12-hour clock),
# UTF-8 with a BOM as ServiceNow writes CSV.
write("servicenow_incident_en.csv", "\ufeff" + '''\
"Number","Opened","Short description","Caller","Channel","Category","Assignment group",\
"Reassignment count","Configuration item","Service","State","Resolved","Closed"
"INC0010001","03/14/2025 09:15:00 AM","VPN drops every hour","eric.martin@example.com",\
"Self-service","Network","Service Desk L1","0","VPN Gateway","Remote work","Closed",\
"03/14/2025 11:02:15 AM","03/17/2025 11:05:00 AM"
"INC0010002","03/15/2025 02:00:00 PM","Laptop screen black","claire.dupont@example.com",\
"Phone","Hardware","Field Services Paris","2","LAPTOP-4411","","Resolved",\
"03/18/2025 05:30:00 PM",""
"INC0010003","03/18/2025 08:00:00 AM","Password reset","E0003","Virtual Agent","Access",\
"Service Desk L1","0","Active Directory","Identity","Closed","03/18/2025 08:20:00 AM",\
"03/21/2025 08:20:00 AM"
"INC0010004","03/19/2025 10:00:00 AM","Printer jam","E0004","Walk-in","Hardware",\
"Field Services Paris","1","PRN-2-12","","In Progress","",""
"INC0010005","03/20/2025 10:00:00 AM","Teams crashes","E0005","Carrier pigeon","Software",\
"Service Desk L1","0","Microsoft Teams","Video conferencing","Resolved",\
"03/20/2025 12:00:00 PM",""
''')

# ServiceNow list export, Portuguese labels (Brazil), day-first dates, separated by semicolons
# as Excel saves CSV in that locale.
write("servicenow_incident_pt.csv", '''\
Número;Aberto;Descrição resumida;Autor da chamada;Canal;Categoria;Grupo de atribuição;\
Contagem de reatribuições;Item de configuração;Estado;Resolvido;Encerrado
INC0020001;03/02/2025 14:05;Impressora travada;E0005;Telefone;Hardware;Suporte Lisboa;0;\
PRN-1-01;Encerrado;03/02/2025 16:40;05/02/2025 16:40
INC0020002;04/02/2025 09:00;Acesso negado ao ERP;E0004;Email;Software;Equipe ERP;1;SAP ERP;\
Resolvido;05/02/2025 10:15;
INC0020003;06/02/2025 11:00;Pedido de mouse;E0003;Portal de autoatendimento;Hardware;\
Suporte Lisboa;0;;Em andamento;;
''', "utf-8")

# GLPI list export, French, Windows-1252 with semicolons (GLPI's CSV export in a French
# Excel), day-first dates with a dash as GLPI writes them.
write("glpi_fr.csv", '''\
ID;Titre;Statut;Date d'ouverture;Date de résolution;Date de clôture;Source de la demande;\
Catégorie;Attribué à - Groupe;Demandeur - Demandeur;Demandeur - Matricule;Élément associé
4512;Imprimante bloquée;Clos;03-02-2025 14:05;03-02-2025 16:40;05-02-2025 16:40;Helpdesk;\
Matériel > Impression;Support Lyon;Martin Eric;E0005;Imprimante RDC
4513;Accès refusé à l'ERP;Résolu;04-02-2025 09:00;05-02-2025 10:15;;Téléphone;\
Applications;Équipe ERP;Dupont Claire;E0004;SAP ERP
4514;Demande de souris;En cours (attribué);04-02-2025 11:00;;;Direct;Matériel;Proximité;\
Owner Olivier;E0003;
4515;Messagerie lente;Clos;13-02-2025 08:30;13-02-2025 09:00;14-02-2025 09:00;Courriel;\
Messagerie;Support Lyon;Martin Eric;E0005;Télétravail
''', "cp1252")

# Field names (a ServiceNow "CSV" export of the table API), the BOM inside the first quoted
# name (a file re-saved by a tool that quotes every field), tab-separated, ISO 8601 with
# offsets and Z.
(HERE / "servicenow_fields_tab.csv").write_bytes(
    b'"\xef\xbb\xbfnumber"\t"sys_id"\t"opened_at"\t"resolved_at"\t"contact_type"\t'
    b'"assignment_group"\t"reassignment_count"\t"cmdb_ci"\t"business_service"\t'
    b'"caller_id.email"\r\n'
    b'"INC0030001"\t"6816f79cc0a8016401c5a33be04be441"\t"2025-04-01T07:00:00Z"\t'
    b'"2025-04-01T09:30:00+02:00"\t"email"\t"Service Desk L1"\t"0"\t"Outlook"\t'
    b'"Messaging"\t"eric.martin@example.com"\r\n'
    b'"INC0030002"\t"6816f79cc0a8016401c5a33be04be442"\t"2025-04-02T08:00:00Z"\t'
    b'"2025-04-02T10:00:00Z"\t"phone"\t"Service Desk L1"\t"1"\t"Outlook"\t'
    b'"Messaging"\t"claire.dupont@example.com"\r\n')

# An event log as the ServiceNow incident audit export and the public "incident management
# process enriched event log" lay it out: one row per update, "?" for no value, day-first
# dates without leading zeros.
write("servicenow_event_log.csv", '''\
number,incident_state,active,reassignment_count,sys_mod_count,caller_id,opened_at,\
sys_updated_at,contact_type,category,assignment_group,cmdb_ci,resolved_at,closed_at
INC0040001,New,true,0,0,E0005,1/3/2025 09:00,1/3/2025 09:00,Phone,Network,?,?,?,?
INC0040001,Active,true,0,1,E0005,1/3/2025 09:00,1/3/2025 09:20,Phone,Network,\
Service Desk L1,VPN Gateway,?,?
INC0040001,Resolved,true,1,2,E0005,1/3/2025 09:00,1/3/2025 15:00,Phone,Network,\
Network L2,VPN Gateway,1/3/2025 15:00,?
INC0040001,Closed,false,1,3,E0005,1/3/2025 09:00,4/3/2025 15:00,Phone,Network,\
Network L2,VPN Gateway,1/3/2025 15:00,4/3/2025 15:00
INC0040002,New,true,0,0,E0004,2/3/2025 10:00,2/3/2025 10:00,Self service,Software,?,?,?,?
INC0040002,Active,true,0,1,E0004,2/3/2025 10:00,2/3/2025 10:30,Self service,Software,\
Service Desk L1,?,?,?
INC0040003,New,true,0,0,E0003,2/3/2025 11:00,2/3/2025 11:00,Email,Access,?,?,?,?
INC0040003,Resolved,true,0,1,E0003,2/3/2025 11:00,2/3/2025 11:45,Email,Access,\
Service Desk L1,Active Directory,2/3/2025 11:45,?
INC0040003,Active,true,0,2,E0003,2/3/2025 11:00,13/3/2025 09:00,Email,Access,\
Service Desk L1,Active Directory,2/3/2025 11:45,?
INC0040003,Resolved,true,0,3,E0003,2/3/2025 11:00,13/3/2025 10:00,Email,Access,\
Service Desk L1,Active Directory,13/3/2025 10:00,?
''')

# A process-mining activity log as the BPI challenge 2014 incident activity file is laid out:
# case, timestamp, activity, no opening nor resolution column.
write("activity_log.csv", '''\
Incident ID;DateStamp;IncidentActivity_Number;IncidentActivity_Type;Assignment Group
IM0000001;07/01/2025 08:17:17;001A3689763;Open;TEAM0001
IM0000001;07/01/2025 09:30:00;001A5852941;Reassignment;TEAM0002
IM0000001;08/01/2025 16:00:00;001A5852942;Closed;TEAM0002
IM0000002;07/01/2025 10:00:00;001A3689764;Open;TEAM0001
IM0000002;07/01/2025 10:05:00;001A3689765;Assignment;TEAM0001
IM0000003;09/01/2025 11:00:00;001A3689766;Open;TEAM0003
IM0000003;15/01/2025 11:30:00;001A3689767;Closed;TEAM0003
''')


def workbook(name: str, header: list[str], rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Page 1"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm:ss"
    book.save(HERE / name)


# ServiceNow's Excel export with French labels: dates as Excel dates, one as a serial number
# in a text-formatted column, a count as a number.
workbook("servicenow_incident_fr.xlsx",
         ["Numéro", "Ouvert", "Description courte", "Appelant", "Canal", "Catégorie",
          "Groupe d'affectation", "Nombre de réaffectations", "Élément de configuration",
          "Service", "État", "Résolu", "Fermé"],
         [["INC0050001", dt.datetime(2025, 5, 6, 9, 0), "Wi-Fi instable",
           "eric.martin@example.com", "Portail libre-service", "Réseau", "Service Desk N1", 0,
           "Borne Wi-Fi 3", "Télétravail", "Fermé", dt.datetime(2025, 5, 6, 10, 30),
           dt.datetime(2025, 5, 9, 10, 30)],
          ["INC0050002", "45784.375", "Imprimante", "E0004", "Téléphone", "Matériel",
           "Proximité Paris", 2, "PRN-2-12", "", "Résolu", "45784.5", None],
          ["INC0050003", dt.datetime(2025, 5, 7, 14, 0), "Nouveau poste", "E0003", "Courriel",
           "Matériel", "Proximité Paris", 0, "", "", "En cours", None, None]])

# GLPI's Excel export in German (the same search options, German labels).
workbook("glpi_de.xlsx",
         ["ID", "Titel", "Status", "Eröffnungsdatum", "Lösungsdatum", "Anfragequelle",
          "Kategorie", "Zugewiesen an - Gruppe", "Anforderer - Anforderer"],
         [[801, "Drucker", "Geschlossen", dt.datetime(2025, 6, 2, 8, 0),
           dt.datetime(2025, 6, 2, 9, 0), "Telefon", "Hardware", "Support Berlin",
           "eric.martin@example.com"],
          [802, "VPN", "Gelöst", dt.datetime(2025, 6, 3, 8, 0), dt.datetime(2025, 6, 3, 12, 0),
           "E-Mail", "Netzwerk", "Support Berlin", "claire.dupont@example.com"]])
