"""A fixture server whose endpoints are named after the faults they simulate.

Binds 127.0.0.1 on a free port and records every hit, so a test can assert what was
*not* fetched. One small site: a home page, two articles, hostile links.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.httpserver import RecordingServer, links_page

PARAGRAPHS = [
    "Il Torino ha battuto il Genoa per due a zero in una partita giocata sotto la pioggia, con una prestazione "
    "solida della difesa e due gol nati da azioni manovrate sulla fascia destra.",
    "Perché più città vogliono ospitare la finale di Coppa Italia? La risposta sta negli incassi e nella "
    "visibilità che un evento del genere porta a tutta la regione, come spiegano gli amministratori.",
    "L'allenatore granata ha elogiato la squadra in conferenza stampa, sottolineando la crescita dei giovani e "
    "la capacità del gruppo di soffrire nei momenti difficili della gara.",
]


def article_html(title: str, charset: str, published: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!doctype html><html lang="it"><head><meta charset="{charset}"><title>{title}</title>'
        f'<meta property="og:type" content="article"><meta property="article:published_time" content="{published}">'
        f'</head><body><article><h1>{title}</h1><div class="entry-content">{body}</div></article></body></html>'
    )


class FaultServer(RecordingServer):
    def __init__(self, robots: str = "ok", other_port: int | None = None):
        self.robots = robots  # "ok" (Disallow: /riservato/), "503", "404"
        self.other_port = other_port
        super().__init__()

    def respond(self, method: str, raw_path: str, headers: dict):
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            if self.robots == "503":
                return 503, {"Content-Type": "text/plain", "Retry-After": "3600"}, b"Service Unavailable"
            if self.robots == "404":
                return 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /riservato/\n"
        if path == "/":
            other = f"http://127.0.0.1:{self.other_port}" if self.other_port else "http://127.0.0.1:9"
            links = [
                "/2026/01/10/il-torino-batte-il-genoa-sotto-la-pioggia/",
                "/enc/wrong-header/2026/01/12/coppa-italia-perche-tante-citta/",
                "/riservato/2026/01/11/documento-riservato-della-societa/",
                f"{other}/admin/2026/01/10/pagina-di-un-altro-server/",
                f"http://localhost:{self.port}/2026/01/10/stesso-server-altro-nome-host/",
                "file:///etc/passwd",
                f"/redirect-to?url={other}/admin/2026/01/10/redirect-fuori-dal-sito/",
                "http://2130706433/2026/01/10/ip-numerico-fuori-dal-sito/",
                "/2026/01/13/pagina-patologica-con-cinquantamila-paragrafi/",
            ]
            return 200, html, links_page(links)
        if path == "/2026/01/10/il-torino-batte-il-genoa-sotto-la-pioggia/":
            return 200, html, article_html("Il Torino batte il Genoa sotto la pioggia", "utf-8", "2026-01-10T18:00:00+01:00").encode("utf-8")
        if path == "/enc/wrong-header/2026/01/12/coppa-italia-perche-tante-citta/":
            page = article_html("Coppa Italia, perché tante città la vogliono", "windows-1252", "2026-01-12T09:30:00+01:00")
            return 200, html, page.encode("cp1252")  # header says utf-8: a real misconfiguration
        if path == "/2026/01/13/pagina-patologica-con-cinquantamila-paragrafi/":
            # small on the wire, slow to extract: 50 000 tiny paragraphs (generated, never committed)
            rows = "".join(f"<p>riga {i} del testo</p>" for i in range(50_000))
            # the one link to an article: followed although this page's extraction runs out of time
            rows += '<p><a href="/2026/01/13/il-derby-raccontato-dalla-pagina-lenta/">Il derby</a></p>'
            page = article_html("Pagina patologica", "utf-8", "2026-01-13T10:00:00+01:00").replace("</article>", rows + "</article>")
            return 200, html, page.encode()
        if path == "/2026/01/13/il-derby-raccontato-dalla-pagina-lenta/":
            return 200, html, article_html("Il derby raccontato dalla pagina lenta", "utf-8", "2026-01-13T12:00:00+01:00").encode()
        if path.startswith("/riservato/"):
            return 200, html, article_html("Riservato", "utf-8", "2026-01-11T10:00:00+01:00").encode()
        if path == "/redirect-to":
            return 302, {"Location": query.get("url", ["/"])[0]}, b""
        return 404, html, b"<h1>Pagina non trovata</h1>"


class BadInputServer(RecordingServer):
    """A site that serves what breaks crawlers: a hostile sitemap (XXE entity, offsite and
    file:// entries, truncated XML), a gzip bomb sitemap, a 12 MB page, a server error,
    broken HTML with NUL bytes, an empty 200. Bombs and big bodies are generated here."""

    GOOD = "/2026/02/05/la-lazio-vince-il-derby-capitolino-al-novantesimo/"
    BROKEN = "/2026/02/03/html-rotto-con-tag-non-chiusi-e-byte-nulli/"
    BIG = "/2026/02/01/pagina-enorme-da-dodici-megabyte/"
    ERROR = "/2026/02/02/errore-del-server-durante-la-partita/"
    EMPTY = "/2026/02/04/pagina-vuota-restituita-dal-server/"

    def respond(self, method: str, raw_path: str, headers: dict):
        import gzip

        path = urlsplit(raw_path).path
        html = {"Content-Type": "text/html; charset=utf-8"}
        base = self.base_url.rstrip("/")
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, (
                f"User-agent: *\nSitemap: {base}/sitemap-rotta.xml\nSitemap: {base}/sitemap-bomba.xml.gz\n"
            ).encode()
        if path == "/sitemap-rotta.xml":
            return 200, {"Content-Type": "application/xml"}, (
                '<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{base}{self.GOOD}</loc><lastmod>&xxe;</lastmod></url>"
                "<url><loc>file:///etc/passwd</loc></url>"
                "<url><loc>http://other.example.com/2026/02/05/articolo-di-un-altro-sito/</loc></url>"
                f"<url><loc>{base}/2026/02/06/url-tron"  # the file ends mid-element
            ).encode()
        if path == "/sitemap-bomba.xml.gz":
            # ~60 MB of XML once decompressed, a few dozen KB on the wire
            return 200, {"Content-Type": "application/x-gzip"}, gzip.compress(b"<urlset>" + b" " * 60_000_000, 9)
        if path == "/":
            links = [self.GOOD, self.BROKEN, self.BIG, self.ERROR, self.EMPTY]
            return 200, html, links_page(links)
        if path == self.GOOD:
            return 200, html, article_html("La Lazio vince il derby capitolino al novantesimo", "utf-8",
                                           "2026-02-05T22:50:00+01:00").encode()
        if path == self.BROKEN:
            page = article_html("Html rotto, tag non chiusi e byte nulli", "utf-8", "2026-02-03T12:00:00+01:00")
            page = page.replace("</p>", "\x00</b></i>", 2).replace("<body>", "<body><div><table><tr><td>") + "<body><p>seconda body"
            return 200, html, page.encode()
        if path == self.BIG:
            return 200, html, b"<html><body><p>" + b"calcio " * (12 * 1024 * 1024 // 7) + b"</p></body></html>"
        if path == self.ERROR:
            return 500, html, b"<h1>Internal Server Error</h1>"
        if path == self.EMPTY:
            return 200, html, b""
        return 404, html, b"<h1>Pagina non trovata</h1>"


class RetryAfterServer(RecordingServer):
    """Overloaded endpoints that answer 503/429 with Retry-After in its forms."""

    ONCE = "/2026/03/01/partita-rinviata-riprova-tra-un-secondo/"
    TOMORROW = "/2026/03/02/server-sovraccarico-torna-domani/"
    HTTP_DATE = "/2026/03/03/server-sovraccarico-con-data-http/"
    MALFORMED = "/2026/03/04/retry-after-malformato-nella-risposta/"

    def __init__(self):
        super().__init__()
        self.failed_once = False

    def respond(self, method: str, raw_path: str, headers: dict):
        from email.utils import formatdate

        path = urlsplit(raw_path).path
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            return 404, html, b""
        if path == "/":
            links = [self.ONCE, self.TOMORROW, self.HTTP_DATE, self.MALFORMED]
            return 200, html, links_page(links)
        if path == self.ONCE:
            if not self.failed_once:
                self.failed_once = True
                return 503, {**html, "Retry-After": "1"}, b"<h1>Riprova tra un secondo</h1>"
            return 200, html, article_html("Partita rinviata, poi giocata", "utf-8", "2026-03-01T15:00:00+01:00").encode()
        if path == self.TOMORROW:
            return 503, {**html, "Retry-After": "86400"}, b"<h1>Torna domani</h1>"
        if path == self.HTTP_DATE:
            import time

            return 429, {**html, "Retry-After": formatdate(time.time() + 2 * 86400, usegmt=True)}, b"<h1>Troppe richieste</h1>"
        if path == self.MALFORMED:
            return 503, {**html, "Retry-After": "domani mattina"}, b"<h1>Boh</h1>"
        return 404, html, b"<h1>Pagina non trovata</h1>"


class HostileTransferServer(RecordingServer):
    """Compression bombs with Content-Encoding (gzip, deflate, br), a redirect loop and a
    server that drips one byte a second. All generated here, none committed."""

    BOMBS = {"gzip", "deflate", "br"}
    LOOP = "/2026/04/01/redirect-che-gira-in-tondo/"
    DRIP = "/2026/04/02/server-che-gocciola-un-byte-al-secondo/"

    def __init__(self):
        super().__init__()
        self._bombs: dict[str, bytes] = {}
        self.drip_requests = 0

    def bomb(self, encoding: str) -> bytes:
        import zlib

        if encoding not in self._bombs:
            raw = b"<html><body><p>" + b"a" * 60_000_000 + b"</p></body></html>"  # 60 MB once decoded
            if encoding == "gzip":
                import gzip

                self._bombs[encoding] = gzip.compress(raw, 9)
            elif encoding == "deflate":
                self._bombs[encoding] = zlib.compress(raw, 9)
            else:
                import brotli

                self._bombs[encoding] = brotli.compress(raw, quality=5)
        return self._bombs[encoding]

    def __enter__(self):
        for encoding in self.BOMBS:  # made before the crawl, so serving them is instant
            self.bomb(encoding)
        return super().__enter__()

    def respond(self, method: str, raw_path: str, headers: dict):
        import time

        path = urlsplit(raw_path).path
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            return 404, html, b""
        if path == "/":
            links = [f"/2026/04/03/bomba-compressa-{e}-da-sessanta-mega/" for e in sorted(self.BOMBS)]
            links += [self.LOOP, self.DRIP]
            return 200, html, links_page(links)
        for encoding in self.BOMBS:
            if path == f"/2026/04/03/bomba-compressa-{encoding}-da-sessanta-mega/":
                return 200, {**html, "Content-Encoding": encoding}, self.bomb(encoding)
        if path == self.LOOP:
            return 302, {"Location": self.LOOP.rstrip("/") + "-bis/"}, b""
        if path == self.LOOP.rstrip("/") + "-bis/":
            return 302, {"Location": self.LOOP}, b""
        if path == self.DRIP:
            self.drip_requests += 1  # counted on arrival: the hit log records answers
            time.sleep(5)  # longer than the test's DOWNLOAD_TIMEOUT before a single byte
            return 200, html, b"<html><body><p>troppo tardi</p></body></html>"
        return 404, html, b"<h1>Pagina non trovata</h1>"


class EndlessPagesServer(RecordingServer):
    """Pagination traps. ``/notizie/?page=N`` answers for every N, each page listing three new
    articles (older as N grows) and linking its next page (``rel=next`` and a pagination bar);
    ``/stessa/?page=N`` answers for every N with the same three articles."""

    def respond(self, method: str, raw_path: str, headers: dict):
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/":
            return 200, html, links_page(["/notizie/", "/stessa/"])
        if path in ("/notizie/", "/stessa/"):
            n = int((query.get("page") or ["1"])[0])
            ids = [(n if path == "/notizie/" else 1) * 10 + i for i in range(3)]
            cards = "".join(f'<article><h2><a href="/2026/03/01/notizia-numero-{i}-della-sezione-senza-fine/">Notizia '
                            f"numero {i} della sezione senza fine</a></h2></article>" for i in ids)
            nav = f'<nav class="pagination"><a href="{path}?page={n + 1}">{n + 1}</a> <a href="{path}?page={n + 1}" rel="next">Successiva</a></nav>'
            page = (f'<html><head><title>Notizie - pagina {n}</title><link rel="next" href="{path}?page={n + 1}"></head>'
                    f"<body><main><h1>Notizie</h1>{cards}{nav}</main></body></html>")
            return 200, html, page.encode()
        if path.startswith("/2026/03/01/notizia-numero-"):
            i = path.split("-")[2]
            return 200, html, article_html(f"Notizia numero {i} della sezione senza fine", "utf-8",
                                           "2026-03-01T10:00:00+01:00").encode()
        return 404, html, b"<html><body>Not found</body></html>"

    def listing_hits(self, path: str) -> list[str]:
        return [p for p in self.paths() if urlsplit(p).path == path]

    def article_hits(self) -> list[str]:
        return [p for p in self.paths() if p.startswith("/2026/")]
