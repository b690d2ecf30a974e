import pytest

from extract.urls import canonicalize, dedupe_key, looks_like_article, looks_non_article, same_site

VARIANTS = [
    "https://www.curvanord.it/2017/03/14/carrera-zar-di-russia/?utm_source=facebook&utm_medium=social",
    "https://www.curvanord.it/2017/03/14/carrera-zar-di-russia/?fbclid=IwAR0abc",
    "https://www.curvanord.it/2017/03/14/carrera-zar-di-russia/#commenti",
    "https://WWW.CURVANORD.IT/2017/03/14/carrera-zar-di-russia/",
    "https://www.curvanord.it/2017/03/14/carrera-zar-di-russia/amp/",
    "https://www.curvanord.it/2017/03/14/carrera-zar-di-russia/?amp=1",
    "https://m.curvanord.it/2017/03/14/carrera-zar-di-russia/",
    "https://www.curvanord.it:443/2017/03/14/carrera-zar-di-russia/",
]


@pytest.mark.parametrize("url", VARIANTS)
def test_variants_collapse_to_one_url(url):
    assert canonicalize(url, "www.curvanord.it") == "https://www.curvanord.it/2017/03/14/carrera-zar-di-russia/"


def test_trailing_slash_and_scheme_share_a_dedupe_key():
    a = dedupe_key("https://www.curvanord.it/2017/03/14/carrera-zar-di-russia")
    b = dedupe_key("http://www.curvanord.it/2017/03/14/carrera-zar-di-russia/?utm_campaign=x")
    assert a == b


def test_amp_path_prefix_removed():
    assert canonicalize("https://www.gaz.it/amp/calcio/serie-a/derby-412345.shtml") == "https://www.gaz.it/calcio/serie-a/derby-412345.shtml"


def test_session_ids_removed():
    assert canonicalize("http://www.pv.it/notizie.php?id=101&PHPSESSID=5f2a9c4e") == "http://www.pv.it/notizie.php?id=101"
    assert canonicalize("http://www.pv.it/news/x-y-z.jsp;jsessionid=A1B2?id=4") == "http://www.pv.it/news/x-y-z.jsp?id=4"


def test_identity_query_parameters_kept_in_order():
    assert canonicalize("http://www.pv.it/notizie.php?id=101&utm_source=x&sez=2") == "http://www.pv.it/notizie.php?id=101&sez=2"


@pytest.mark.parametrize("url", VARIANTS + ["http://x.it/a b/è?q=1&utm_x=2#f", "https://x.it/amp/", "https://x.it"])
def test_canonicalize_is_idempotent(url):
    once = canonicalize(url, "www.curvanord.it")
    assert canonicalize(once, "www.curvanord.it") == once


@pytest.mark.parametrize(
    "url",
    [
        "https://x.it/", "https://x.it/category/calcio-estero/", "https://x.it/category/calcio-estero/page/2/",
        "https://x.it/tag/juventus/", "https://x.it/author/mario-rossi/", "https://x.it/chi-siamo/",
        "https://x.it/contatti/", "https://x.it/collabora/", "https://x.it/classifica/",
        "https://x.it/classifica-serie-a/", "http://x.it/sezione.php?s=mercato", "http://x.it/tag.php?t=juventus",
        "http://x.it/chisiamo.php", "http://x.it/index.php", "https://x.it/privacy-policy/",
    ],
)
def test_non_article_urls(url):
    assert looks_non_article(url)
    assert not looks_like_article(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://x.it/2017/03/14/carrera-da-assistente-di-conte-a-zar-di-russia/",
        "https://x.it/calcio/serie-a/2026/03/01/inter-milan-derby-pagelle-412345.shtml",
        "http://x.it/notizie.php?id=101",
        "https://x.it/news/mourinho-lascia-la-roma-dopo-tre-stagioni/",
        "https://x.it/?p=1234",
    ],
)
def test_article_urls(url):
    assert looks_like_article(url)


def test_same_site_host_port_and_subdomains():
    assert same_site("https://www.x.it/a", "https://www.x.it/")
    assert same_site("https://video.x.it/a", "https://www.x.it/")
    assert not same_site("https://www.y.it/a", "https://www.x.it/")
    assert not same_site("https://evilx.it/a", "https://www.x.it/")
    assert same_site("http://127.0.0.1:8001/a", "http://127.0.0.1:8001/")
    assert not same_site("http://127.0.0.1:9999/admin", "http://127.0.0.1:8001/")
    # numeric forms are read as the address they name before the check (issue 10): the same
    # address and port is the site itself, any other port or address is not
    assert same_site("http://2130706433:8001/", "http://127.0.0.1:8001/")
    assert not same_site("http://2130706433:9999/", "http://127.0.0.1:8001/")
    assert not same_site("http://0x7f.1:8001/", "http://10.0.0.1:8001/")
    assert not same_site("file:///etc/passwd", "http://127.0.0.1:8001/")
