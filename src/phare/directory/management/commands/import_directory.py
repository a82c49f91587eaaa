"""``phare import-directory people.csv``: import the HR directory from a CSV file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils.translation import gettext
from tqdm import tqdm

from phare.directory.importer import DirectoryImportError, ImportReport, import_people


class _BarOutput:
    """Lets tqdm draw on the command's stderr without OutputWrapper adding a newline per frame."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def flush(self) -> None:
        self.out.flush()


class _ProgressBar:
    """The importer's progress callback, drawn as one tqdm bar per phase (checking, writing)."""

    def __init__(self, out: OutputWrapper, *, disable: bool) -> None:
        self.file, self.disable = _BarOutput(out), disable
        self.bar: tqdm | None = None
        self.message = ""

    def __call__(self, done: int, total: int, message: str) -> None:
        if self.bar is None or message != self.message:
            self.close()
            self.message = message
            self.bar = tqdm(total=total, desc=message, unit="", file=self.file,
                            disable=self.disable, dynamic_ncols=True)
        # The writing total grows when new people come before their manager (second pass).
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = ("Import people, business units, sites and job families from a CSV file. The whole "
            "file is checked first: if any line is wrong, every error is listed and nothing is "
            "written.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the CSV file (UTF-8 or Windows-1252; , ; or tab)")
        parser.add_argument("--keep-missing", action="store_true",
                            help="leave active the people absent from the file "
                                 "(default: deactivate them)")
        parser.add_argument("--dry-run", action="store_true",
                            help="check the file and print the counts without writing anything")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(gettext("%(path)s: no such file") % {"path": path})
        bar = _ProgressBar(self.stderr, disable=options["verbosity"] == 0)
        try:
            report = import_people(path, deactivate_missing=not options["keep_missing"],
                                   dry_run=options["dry_run"], progress=bar)
        except DirectoryImportError as exc:
            bar.close()
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        self._print_report(report)

    def _print_report(self, report: ImportReport) -> None:
        counts = report.as_dict()
        if report.dry_run:
            self.stdout.write(gettext("Dry run: nothing was written. The import would give:"))
        self.stdout.write(gettext(
            "%(lines)d people in the file: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged, %(deactivated)d deactivated.") % counts)
        self.stdout.write(gettext(
            "Business units: %(units_created)d created, %(units_updated)d updated. "
            "Sites: %(sites_created)d created, %(sites_updated)d updated. "
            "Job families: %(job_families_created)d created, %(job_families_updated)d updated."
        ) % counts)
