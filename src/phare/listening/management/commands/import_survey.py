"""``phare import-survey FILE [--responses FILE]``: import a LimeSurvey or Qualtrics survey.

The same import as the web page and the API (:func:`phare.listening.imports.import_survey`).
Prints the report — questions and responses imported, what was not imported, by reason and
question, and the warnings — or, with ``--json``, the report as JSON. Exits 0 when the import
went through, 2 when the files were refused (nothing written).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from phare.listening.imports import (
    EXTENSIONS,
    IMPORT_KINDS,
    RESPONSE_EXTENSIONS,
    ImportReport,
    SurveyAlreadyImported,
    SurveyImportError,
    import_survey,
)
from phare.listening.imports.plan import fail

#: The exit status of refused files (argparse's for bad arguments, too).
REFUSED = 2


class Command(BaseCommand):
    help = ("Import a survey made with LimeSurvey (.lsa, .lss, .lsg, .txt) or Qualtrics (.qsf, "
            "with its responses as .csv or .xml). All or nothing: if anything is wrong, every "
            "problem is listed and nothing is written (exit status 2).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the survey file: " + ", ".join(EXTENSIONS))
        parser.add_argument("--responses", metavar="FILE",
                            help="with a .qsf: its responses (" + ", ".join(RESPONSE_EXTENSIONS)
                                 + ")")
        parser.add_argument("--kind", choices=[str(kind) for kind in IMPORT_KINDS],
                            default="pulse", help="the kind of survey to create (pulse)")
        again = parser.add_mutually_exclusive_group()
        again.add_argument("--add-responses", action="store_true",
                           help="the survey was imported before: add only the responses it "
                                "does not have yet (matched by response id)")
        again.add_argument("--as-copy", action="store_true",
                           help="the survey was imported before: make a second survey anyway")
        parser.add_argument("--json", action="store_true",
                            help="print the report (or the problems) as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        try:
            files = [self._read(options["file"])]
            if options["responses"]:
                files.append(self._read(options["responses"]))
            report = import_survey(files, kind=options["kind"],
                                   add_responses=options["add_responses"],
                                   as_copy=options["as_copy"])
        except SurveyImportError as exc:
            self._refused(exc, as_json=as_json)
            sys.exit(REFUSED)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(report)

    def _read(self, name: str) -> tuple[str, bytes]:
        path = Path(name)
        if not path.is_file():
            raise fail(name, gettext("no such file"))
        if path.stat().st_size > settings.PHARE_MAX_IMPORT_BYTES:
            raise fail(name, gettext("the file is larger than the import "
                                                      "limit"))
        return path.name, path.read_bytes()

    def _refused(self, exc: SurveyImportError, *, as_json: bool) -> None:
        if as_json:
            payload: dict[str, Any] = {
                "refused": True, "message": str(exc),
                "errors": [{"file": e.file, "where": e.where, "line": e.line,
                            "reason": e.reason} for e in exc.errors]}
            if isinstance(exc, SurveyAlreadyImported):
                payload["already_imported"] = {"survey_id": exc.survey.pk,
                                               "survey_slug": exc.survey.slug}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stderr.write(gettext("Refused: nothing was imported."))
        for error in exc.errors:
            self.stderr.write(f"  {error}")
        if isinstance(exc, SurveyAlreadyImported):
            self.stderr.write(gettext("Run again with --add-responses to add its new responses "
                                      "to “%(slug)s”, or with --as-copy for a second survey.")
                              % {"slug": exc.survey.slug})

    def _print(self, report: ImportReport) -> None:
        survey = report.survey
        if report.added_to_existing:
            self.stdout.write(gettext("Responses added to “%(title)s” (%(slug)s): %(added)d; "
                                      "already there: %(already)d.") % {
                "title": survey.title_fr, "slug": survey.slug,
                "added": report.responses_imported,
                "already": report.responses_already_imported})
        else:
            self.stdout.write(gettext("Survey created: “%(title)s” (%(slug)s), from %(source)s.")
                              % {"title": survey.title_fr, "slug": survey.slug,
                                 "source": report.source})
            self.stdout.write(gettext("Questions imported: %(count)d") % {
                "count": report.questions_imported})
            self.stdout.write(gettext("Responses imported: %(count)d") % {
                "count": report.responses_imported})
        if report.incomplete_skipped:
            self.stdout.write(gettext("Incomplete responses not imported: %(count)d") % {
                "count": report.incomplete_skipped})
        for title, items in ((gettext("Not imported: no equivalent in Phare"),
                              report.unsupported),
                             (gettext("Skipped: nothing to answer"), report.skipped),
                             (gettext("Warnings"), report.notes)):
            if items:
                self.stdout.write(gettext("%(title)s (%(count)d):") % {
                    "title": title, "count": len(items)})
                for item in items:
                    self.stdout.write(f"  - {item.message}")
