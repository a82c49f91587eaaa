"""HTML made into PDF (phare.lib.pdf): pages, text, Phare's static files read from disk, and
nothing else fetched — neither from a real HTTP server on loopback nor from the internet."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import weasyprint
from pypdf import PdfReader

from phare.lib.pdf import FetchRefused, StaticFetcher, html_to_pdf

BASE = "http://testserver/"


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>{head}</head>" \
           f"<body>{body}</body></html>"


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


class Server(ThreadingHTTPServer):
    """An HTTP server on loopback that answers every GET with a tiny stylesheet and records
    the paths asked for."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.paths.append(self.path)
                body = b"@page { size: A5 }"
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        running.server_close()


@pytest.fixture
def static_dir(settings, tmp_path: Path) -> Path:
    """A folder of static files the finders look in (besides the apps' own)."""
    folder = tmp_path / "static"
    (folder / "print").mkdir(parents=True)
    (folder / "print" / "a5.css").write_text("@page { size: A5 }", encoding="utf-8")
    settings.STATICFILES_DIRS = [folder]
    return folder


A4 = (595, 842)
A5 = (420, 595)


def size(reader: PdfReader, index: int = 0) -> tuple[int, int]:
    box = reader.pages[index].mediabox
    return round(float(box.width)), round(float(box.height))


def test_it_writes_a_pdf_with_the_text_and_one_page_per_break():
    pdf = html_to_pdf(page(
        "<h1>Bonjour à tous</h1><p>Découvrez le portail.</p>"
        "<h1 style='break-before: page'>Hello everyone</h1><p>Discover the portal.</p>",
        head="<style>@page { size: A4 }</style>"))
    assert pdf.startswith(b"%PDF-")
    reader = read(pdf)
    assert len(reader.pages) == 2 and size(reader) == A4
    first, second = (p.extract_text() for p in reader.pages)
    assert "Bonjour à tous" in first and "Découvrez le portail." in first
    assert "Hello everyone" in second and "Bonjour" not in second


def test_it_loads_phare_static_files_from_disk(static_dir):
    html = page("<p>Format A5</p>", head="<link rel='stylesheet' href='/static/print/a5.css'>")
    assert size(read(html_to_pdf(html, base_url=BASE))) == A5
    # An app's own static file, through the same finders.
    served = StaticFetcher(BASE).fetch(BASE + "static/phare/phare.css")
    assert served.content_type == "text/css"
    css = Path(__file__).parents[2] / "src/phare/core/static/phare/phare.css"
    assert served.read() == css.read_bytes()
    # Without a base URL, a relative link names nothing that can be served.
    assert size(read(html_to_pdf(html))) == A4


@pytest.mark.parametrize("url", [
    "https://intranet.example.com/logo.png",
    "http://testserver/media/secret.pdf",
    "http://testserver/static/../settings.py",
    "http://testserver/static/%2e%2e/%2e%2e/pyproject.toml",
    "http://testserver/static//etc/passwd",
    "http://testserver/static/print/missing.css",
    "http://elsewhere.example/static/print/a5.css",
    "file:///etc/passwd",
    "data:text/css,@page%20%7B%20size:%20A5%20%7D",
])
def test_it_refuses_every_url_but_a_static_file(static_dir, url):
    with pytest.raises(FetchRefused):
        StaticFetcher(BASE).fetch(url)


def test_it_fetches_nothing_from_a_server(server, static_dir):
    html = page(f"<p>Image</p><img src='{server.url}/pixel.png'>",
                head=f"<link rel='stylesheet' href='{server.url}/print.css'>"
                     f"<style>@import url('{server.url}/more.css');</style>")
    reader = read(html_to_pdf(html, base_url=BASE))
    assert server.paths == []
    assert size(reader) == A4 and "Image" in reader.pages[0].extract_text()
    # The same page with WeasyPrint's own fetcher asks the server (the check above can fail).
    weasyprint.HTML(string=html).write_pdf()
    assert sorted(server.paths) == ["/more.css", "/pixel.png", "/print.css"]


def test_it_opens_no_connection_for_a_remote_image(monkeypatch):
    attempts: list[object] = []

    def spy(address, *args, **kwargs):
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", spy)
    monkeypatch.setattr(socket, "getaddrinfo", spy)
    html = page("<p>Logo</p><img src='https://intranet.example.com/logo.png'>"
                "<img src='http://intranet.example.com/logo.png'>")
    pdf = html_to_pdf(html, base_url="https://phare.example.com/")
    assert attempts == [] and pdf.startswith(b"%PDF-")
    weasyprint.HTML(string=html).write_pdf()
    assert attempts  # WeasyPrint's own fetcher would have gone out
