"""URL canonicalisation and URL-level page classification (pure functions)."""

from __future__ import annotations

import ipaddress
import re
import socket
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Query parameters that only track where a click came from; every other parameter
# (e.g. ``?id=123``) can be the article's identity and is kept.
TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
    "_ga", "_gl", "ref_src", "ref_url", "amp", "outputtype", "output", "cmpid", "ncid", "ito",
    "wt_mc", "wt.mc_id", "xtor", "ocid", "sr_share", "share", "s_cid", "spm", "fb_source",
    "_hsenc", "_hsmi", "mkt_tok", "vero_id", "trk", "at_medium", "at_campaign",
    # session identifiers of old PHP/Java/ASP/ColdFusion sites: never part of a page's identity
    "phpsessid", "jsessionid", "sid", "sessionid", "session_id", "aspsessionid", "cfid", "cftoken",
}
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_")
# "amp" above covers ``?amp=1`` / ``?amp``; output/outputType are AMP switches of some CMSs.

_DEFAULT_PORTS = {"http": 80, "https": 443}
_MOBILE_PREFIXES = ("m.", "amp.", "mobile.")


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def _strip_amp_path(path: str) -> str:
    segments = path.split("/")
    # "/amp/calcio/x.shtml" and "/slug/amp/" (WordPress AMP plugin)
    if len(segments) > 2 and segments[1].lower() == "amp":
        segments = [""] + segments[2:]
    core = [s for s in segments if s != ""]
    if core and core[-1].lower() == "amp" and len(core) > 1:
        return "/" + "/".join(core[:-1]) + "/"
    path = "/".join(segments)
    if path.endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    return path or "/"


_NUMERIC_LABEL = re.compile(r"(0x[0-9a-f]*|[0-9]+)", re.I)


def normalize_host(host: str) -> str:
    """A numeric IPv4 host in any of its legacy forms (``2130706433``, ``0x7f.1``, ``127.1``,
    ``0177.0.0.1``) as a dotted quad, as browsers and resolvers read it; other hosts unchanged.
    Pure: no lookup is made."""
    labels = host.rstrip(".").split(".")
    if not host or not all(_NUMERIC_LABEL.fullmatch(label) for label in labels):
        return host
    try:
        return socket.inet_ntoa(socket.inet_aton(host.rstrip(".")))
    except OSError:
        return host


def refused_address(address: str) -> str | None:
    """What kind of non-public address ``address`` is (loopback, private, link-local,
    multicast, …), or None for a public one. Classifies the address; never connects."""
    try:
        ip = ipaddress.ip_address(normalize_host(address.strip("[]")))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "unspecified", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "non-public"


@lru_cache(maxsize=8192)  # (pure; a crawl and one page's readers canonicalise the same URLs again and again)
def canonicalize(url: str, site_host: str | None = None) -> str:
    """Collapse the variants of one page URL to one form.

    Lower-cases scheme and host, drops default ports, fragments, tracking parameters
    and AMP markers, and maps ``m.``/``amp.`` hosts to ``site_host`` when given.
    Non-tracking query parameters keep their order. Idempotent.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = normalize_host((parts.hostname or "").lower().rstrip("."))
    port = parts.port if parts.port and parts.port != _DEFAULT_PORTS.get(scheme) else None
    if site_host:
        site_host = site_host.lower()
        for prefix in _MOBILE_PREFIXES:
            if host == prefix + site_host.removeprefix("www.") or host == prefix + site_host:
                host = site_host
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    path = re.sub(r";jsessionid=[^/?#]*", "", parts.path or "/", flags=re.I)
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~%")
    path = _strip_amp_path(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


@lru_cache(maxsize=8192)
def dedupe_key(url: str) -> str:
    """Key under which two canonical URLs are the same page: also ignores a trailing slash
    and the scheme (http/https)."""
    parts = urlsplit(canonicalize(url))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", parts.netloc, path, parts.query, ""))


def registered_host(host: str) -> str:
    """The host without a leading www./m./amp. label."""
    host = host.lower()
    for prefix in ("www.",) + _MOBILE_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def same_site(url: str, site_url: str) -> bool:
    """True when ``url`` is on the site's host (or a subdomain of its domain), same port."""
    a, b = urlsplit(url), urlsplit(site_url)
    if a.scheme not in ("http", "https"):
        return False
    ha, hb = normalize_host((a.hostname or "").lower()), normalize_host((b.hostname or "").lower())
    try:
        pa, pb = a.port or _DEFAULT_PORTS[a.scheme], b.port or _DEFAULT_PORTS.get(b.scheme, 80)
    except ValueError:
        return False
    if is_ip_literal(hb) or is_ip_literal(ha):
        return ha == hb and pa == pb
    if pa != pb and not ({pa, pb} <= {80, 443}):
        return False
    base = registered_host(hb)
    return ha == base or ha.endswith("." + base)


# --- URL-level classification ------------------------------------------------

# Pages that are never articles, whatever the site (Italian and English names).
NON_ARTICLE_PATTERNS = [
    r"/(category|categoria|categorie|tag|tags|topic|topics|argomenti|argomento|author|autore|autori|"
    r"authors|redazione|page|pagina|search|cerca|ricerca|archivio|archive|feed|rss|wp-json|wp-admin|"
    r"wp-login\.php|wp-content|wp-includes|xmlrpc\.php|comments|login|register|account|abbonati|"
    r"newsletter|shop|video-gallery|fotogallery-index)(/|$|\.)",
    r"/(chi-siamo|chisiamo|about|about-us|contatti|contattaci|contact|contacts|collabora|collabora-con-noi|"
    r"lavora-con-noi|privacy|privacy-policy|cookie|cookie-policy|note-legali|termini|terms|disclaimer|"
    r"pubblicita|advertising|redazione|gerenza|credits|sitemap|mappa-del-sito)(\.[a-z]+)?/?$",
    r"/(classifica|classifiche|standings|calendario|calendari|risultati|livescore|marcatori|tabellino-index)"
    r"(\.[a-z]+)?/?$",
    r"[?&](s|q|paged|replytocom|share|print|t|tag|cat|sezione|s_sezione|author)=",
    r"\.(jpe?g|png|gif|webp|svg|ico|pdf|zip|mp3|mp4|avi|mov|css|js|json|xml|gz|txt|woff2?|ttf|rss|atom)$",
    r"/(amp)/?$",
]
_NON_ARTICLE = re.compile("|".join(f"(?:{p})" for p in NON_ARTICLE_PATTERNS), re.I)
# Standings and fixtures pages with a qualifier ("classifica-serie-a"): not followed as article
# candidates, but an article can have such a slug, so the page itself decides.
_LIKELY_NON_ARTICLE = re.compile(
    r"/(classifica|classifiche|standings|calendario|calendari|risultati|marcatori)([-_][a-z0-9]+){1,3}(\.[a-z]+)?/?$", re.I
)

_DATE_IN_PATH = re.compile(r"/(19|20)\d\d/[01]?\d(/[0-3]?\d)?/")
_ID_IN_PATH = re.compile(r"[-_/](\d{4,})(\.s?html?|\.php|\.aspx?)?/?$|[?&](id|idn|p|art|articolo|news|idnotizia|id_news)=\d+", re.I)


def looks_non_article(url: str, extra_patterns: tuple[str, ...] = (), strict: bool = True) -> bool:
    """True for URLs of pages that are not articles (home, sections, tags, authors, about pages,
    standings, static files). ``strict=False`` leaves out the qualified standings/fixtures pattern."""
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    if target in ("", "/") or re.fullmatch(r"/(index|home|default)\.[a-z]+", parts.path, re.I) and not parts.query:
        return True
    if _NON_ARTICLE.search(target) or (strict and _LIKELY_NON_ARTICLE.search(parts.path)):
        return True
    return any(re.search(p, url) for p in extra_patterns)


def looks_like_article(url: str, article_patterns: tuple[str, ...] = (), exclude_patterns: tuple[str, ...] = ()) -> bool:
    """Heuristic from the URL alone: a long slug, a date in the path or a numeric id."""
    if any(re.search(p, url) for p in exclude_patterns):
        return False
    if article_patterns:
        return any(re.search(p, url) for p in article_patterns)
    if looks_non_article(url):
        return False
    parts = urlsplit(url)
    if _DATE_IN_PATH.search(parts.path) or _ID_IN_PATH.search(url):
        return True
    last = [s for s in parts.path.split("/") if s]
    if not last:
        return False
    slug = re.sub(r"\.[a-z]{2,5}$", "", last[-1].lower())
    words = [w for w in re.split(r"[-_]+", slug) if w]
    return len(words) >= 4 and len(slug) >= 20
