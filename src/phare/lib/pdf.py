"""HTML made into PDF with WeasyPrint: the one module that imports it.

Printed material (an action's message for the intranet team, later the reports) is a page
Phare renders with its own templates; :func:`html_to_pdf` lays it out without reaching the
network. The only resources WeasyPrint may load are Phare's static files, read from disk
through the staticfiles finders (:class:`StaticFetcher`); any other URL — an ``https://``
image in a message, a ``file:`` path, a ``data:`` URL — is refused, and WeasyPrint leaves
that resource out of the document (with a warning in its log) instead of failing.

WeasyPrint is imported when a PDF is first made, not when Phare starts: it needs Debian's
Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``), and a machine without it still runs
everything else (a PDF asked for there fails with :class:`PdfUnavailable`, which says so).
"""

from __future__ import annotations

import mimetypes
import posixpath
from functools import cache
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage


class FetchRefused(ValueError):
    """A URL that is not one of Phare's static files (WeasyPrint leaves the resource out)."""


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot load here (Pango is missing): no PDF can be made."""


@cache
def _weasyprint() -> Any:
    try:
        import weasyprint
        import weasyprint.urls
    except OSError as exc:  # Pango's shared libraries are missing
        raise PdfUnavailable(
            "PDFs need Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            f"({exc})") from exc
    return weasyprint


@cache
def _fetcher_class() -> type:
    weasyprint = _weasyprint()

    base: Any = weasyprint.urls.URLFetcher

    class Fetcher(_StaticFiles, base):
        def __init__(self, base_url: str | None = None) -> None:
            weasyprint.urls.URLFetcher.__init__(self, allowed_protocols=(),
                                                allow_redirects=False)
            _StaticFiles.__init__(self, base_url)

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            path = self.static_path(url)
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, body,
                                                      {"Content-Type": content_type})

    return Fetcher


def StaticFetcher(base_url: str | None = None) -> Any:  # noqa: N802 (it makes a fetcher)
    """WeasyPrint's fetcher limited to Phare's static files (see :class:`_StaticFiles`)."""
    return _fetcher_class()(base_url)


class _StaticFiles:
    """WeasyPrint's fetcher, limited to Phare's static files read from disk.

    A URL is served when it starts with ``STATIC_URL`` resolved against ``base_url`` (so
    ``{% static %}`` links of a page rendered with ``base_url=request.build_absolute_uri("/")``
    load); the rest of it names the file the finders look up (a hashed name from
    ``collectstatic``'s manifest is mapped back to its source). Nothing else is fetched.
    """

    def __init__(self, base_url: str | None = None) -> None:
        prefix = urljoin(base_url or "", str(settings.STATIC_URL))
        #: The URLs served start with this; without a scheme none can (nothing is served).
        self.prefix = prefix if urlsplit(prefix).scheme else None

    def static_path(self, url: str) -> str:
        """The file on disk that ``url`` names, or :class:`FetchRefused`."""
        if self.prefix is None or not url.startswith(self.prefix):
            raise FetchRefused(f"Not one of Phare's static files: {url}")
        name = unquote(urlsplit(url[len(self.prefix):]).path)
        parts = name.split("/")
        if not name or name.startswith("/") or "\\" in name or ".." in parts or "" in parts:
            raise FetchRefused(f"Not a static file's name: {url}")
        name = posixpath.normpath(name)
        found = finders.find(name) or self._source_of_hashed(name)
        if not found:
            raise FetchRefused(f"No such static file: {url}")
        return str(found)

    @staticmethod
    def _source_of_hashed(name: str) -> str | None:
        hashed = getattr(staticfiles_storage, "hashed_files", None) or {}
        for source, stored in hashed.items():
            if stored == name:
                return finders.find(source) or None
        return None


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """``html`` laid out as a PDF (print media, the page's ``@page`` rules), relative URLs
    resolved against ``base_url``; only Phare's static files are loaded (:class:`StaticFetcher`).
    """
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=base_url,
                               url_fetcher=StaticFetcher(base_url))
    pdf: bytes = document.write_pdf()
    return pdf
