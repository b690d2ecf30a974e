"""A small WordPress-like news site whose articles can be edited between crawls.

Answers conditional GETs (ETag / Last-Modified → 304), lists every article in a sitemap
with its lastmod, and can slow article responses down (for kill/resume tests)."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from tests.httpserver import CloseDelimited, RecordingServer

# What the newsroom can serve instead of a story (``Newsroom.faults[path] = name``).
FAULTS = ("consent-wall", "paywall-teaser", "login-wall", "truncated", "empty", "raw-gzip-as-html",
          "jpeg-text", "huge-fields", "truncated-once", "empty-once")  # "-once": the fault, then the story
CONSENT_WALL = (
    '<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{title}</title></head><body>'
    '<div id="cmp-consent" class="cookie-wall"><h2>Il tuo consenso</h2><p>Utilizziamo i cookie e tecnologie simili '
    'per personalizzare contenuti e annunci.</p><button>Accetta e continua</button> <button>Rifiuta</button> '
    '<a href="/privacy/">Gestisci le preferenze</a></div></body></html>'
)
LOGIN_WALL = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body>'
    '<main><h1>Log in to continue reading</h1><form action="/login"><input name="user"><input type="password" '
    'name="pw"><button>Sign in</button></form></main></body></html>'
)

TEAMS = ["Atalanta", "Bologna", "Cagliari", "Empoli", "Fiorentina", "Genoa", "Lazio", "Lecce", "Monza",
         "Napoli", "Parma", "Roma", "Sassuolo", "Torino", "Udinese", "Verona"]


@dataclass
class Story:
    slug: str
    title: str
    paragraphs: list[str]
    published: datetime
    modified: datetime
    extra: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"

    def html(self) -> str:
        body = "".join(f"<p>{p}</p>" for p in self.paragraphs + self.extra)
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": self.title,
                         "datePublished": self.published.isoformat(), "dateModified": self.modified.isoformat(),
                         "author": {"@type": "Person", "name": "Sara Conti"}, "articleSection": "Serie A"})
        return (f'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{self.title} - Il Campanile</title>'
                f'<script type="application/ld+json">{ld}</script></head><body class="single single-post">'
                f'<header><nav><a href="/">Home</a> <a href="/category/serie-a/">Serie A</a></nav></header>'
                f'<article><h1>{self.title}</h1><div class="entry-content">{body}</div></article>'
                f'<footer>© Il Campanile</footer></body></html>')


def make_story(i: int, published: datetime) -> Story:
    home, away = TEAMS[i % len(TEAMS)], TEAMS[(i + 5) % len(TEAMS)]
    return Story(
        slug=f"{home.lower()}-{away.lower()}-cronaca-e-pagelle-della-partita",
        title=f"{home}-{away}, cronaca e pagelle della partita",
        paragraphs=[
            f"Il {home} ha affrontato il {away} in una partita intensa, decisa nella ripresa da un'azione "
            f"corale che ha mandato in gol il centravanti dopo una lunga serie di passaggi.",
            f"L'allenatore del {away} ha ammesso a fine gara che la squadra ha pagato la stanchezza, "
            f"ricordando che la settimana era stata segnata da tre partite in sette giorni.",
            f"Domenica il {home} sarà di nuovo in campo, mentre il {away} prepara la sfida di coppa con "
            f"qualche dubbio di formazione in difesa e a centrocampo.",
        ],
        published=published,
        modified=published,
    )


class Newsroom(RecordingServer):
    def __init__(self, old: int = 5, recent: int = 1, delay: float = 0.0):
        now = datetime.now(timezone(timedelta(hours=1))).replace(microsecond=0)
        self.stories = [make_story(i, datetime(2025, 10, 1 + i, 18, 30, tzinfo=timezone(timedelta(hours=2))))
                        for i in range(old)]
        self.stories += [make_story(old + i, now - timedelta(hours=2 + i)) for i in range(recent)]
        self.delay = delay
        self.gone: set[str] = set()  # paths the newsroom has taken down (404)
        self.faults: dict[str, str] = {}  # path → what is served instead of the story (FAULTS)
        super().__init__()

    def story(self, path: str) -> Story | None:
        return next((s for s in self.stories if s.path == path), None)

    def edit(self, story: Story, paragraph: str) -> None:
        """The newsroom updates a story: a new paragraph, a new dateModified and lastmod."""
        story.extra.append(paragraph)
        story.modified = datetime.now(timezone.utc).replace(microsecond=0)

    def respond(self, method, path, headers):
        html = {"Content-Type": "text/html; charset=utf-8"}
        path = path.split("?")[0]
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, f"User-agent: *\nSitemap: {self.base_url}sitemap.xml\n".encode()
        if path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{self.base_url.rstrip('/')}{s.path}</loc><lastmod>{s.modified.isoformat()}</lastmod></url>"
                           for s in self.stories)
            return 200, {"Content-Type": "application/xml"}, (
                f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            ).encode()
        if path == "/":
            links = "".join(f'<h2><a href="{s.path}">{s.title}</a></h2>' for s in self.stories[-5:])
            return 200, html, f"<html><body><h1>Il Campanile</h1>{links}</body></html>".encode()
        story = self.story(path)
        if story is None or path in self.gone:
            return 404, html, b"<h1>Non trovato</h1>"
        if self.delay:
            time.sleep(self.delay)
        if path in self.faults:
            return self.fault(story, self.faults[path])
        body = story.html().encode()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        last_modified = format_datetime(story.modified.astimezone(timezone.utc), usegmt=True)
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if headers.get("if-none-match") == etag:
            return 304, validators, b""
        return 200, {**html, **validators}, body

    def fault(self, story: Story, name: str) -> tuple[int, dict, bytes]:
        """The story's URL answering with the fault ``name`` (one of FAULTS)."""
        import gzip

        html = {"Content-Type": "text/html; charset=utf-8"}
        page = story.html()
        if name is None:  # the glitch is over
            return 200, html, page.encode()
        if name.endswith("-once"):  # a glitch: the next request gets the story
            self.faults[story.path] = None
            name = name.removesuffix("-once")
        if name == "consent-wall":
            return 200, html, CONSENT_WALL.format(title=story.title).encode()
        if name == "login-wall":
            return 200, html, LOGIN_WALL.encode()
        if name == "paywall-teaser":  # the lead, then the invitation; JSON-LD says it is not free
            teaser = Story(story.slug, story.title, story.paragraphs[:1], story.published, story.modified).html()
            teaser = teaser.replace('"@type": "NewsArticle"', '"@type": "NewsArticle", "isAccessibleForFree": false')
            box = ('<div class="paywall"><p>Abbonati per continuare a leggere</p>'
                   '<p>Sei già abbonato? <a href="/login/">Accedi</a></p></div>')
            return 200, html, teaser.replace("</div></article>", "</div>" + box + "</article>").encode()
        if name == "truncated":  # two thirds of the page, no Content-Length, connection closed
            body = page.encode()
            return 200, html, CloseDelimited(body[: len(body) * 2 // 3])
        if name == "empty":
            return 200, html, b""
        if name == "raw-gzip-as-html":  # compressed bytes, no Content-Encoding
            return 200, html, gzip.compress(page.encode())
        if name == "jpeg-text":  # an image type on bytes that look like a page
            return 200, {"Content-Type": "image/jpeg"}, page.encode()
        if name == "huge-fields":  # a 108 KB title and 108 KB of tags
            tags = "".join(f'<meta property="article:tag" content="etichetta numero {i}">' for i in range(2700))
            page = page.replace(f"<title>{story.title} - Il Campanile</title>", f"<title>{'Titolo ' * 18000}</title>" + tags)
            page = page.replace('"headline": ', '"headlineX": ').replace(f"<h1>{story.title}</h1>", f"<h1>{'Titolo ' * 18000}</h1>")
            return 200, html, page.encode()
        raise ValueError(f"unknown fault {name!r}")
