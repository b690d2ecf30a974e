"""A link to another variant of an article's URL (here without its trailing slash) that the
site redirects to the article's own URL: the article is fetched and stored, through the real
`scrapy crawl calcio`, although both URLs are one request fingerprint (crawler.fingerprint)."""

from tests.crawling import query, run_crawl, write_sites
from tests.newsroom import Newsroom


class SlashlessLinks(Newsroom):
    """The home page links each story without its trailing slash, answered by a 301 to it
    (as WordPress does); no sitemap: the links are the only way to the stories."""

    def respond(self, method, path, headers):
        path = path.split("?")[0]
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/sitemap.xml":
            return 404, html, b"<h1>Non trovato</h1>"
        if path == "/":
            links = "".join(f'<h2><a href="{s.path.rstrip("/")}">{s.title}</a></h2>' for s in self.stories)
            return 200, html, f"<html><body><h1>Il Campanile</h1>{links}</body></html>".encode()
        if self.story(path + "/") is not None:
            return 301, {**html, "Location": f"{self.base_url.rstrip('/')}{path}/"}, b""
        return super().respond(method, path, headers)


def test_an_article_reached_through_a_redirecting_variant_is_stored(tmp_path):
    db = tmp_path / "a.db"
    with SlashlessLinks(old=3, recent=0) as site:
        run = run_crawl(write_sites(tmp_path, site, "campanile"), db)
        assert run.returncode == 0, run.log[-3000:]
        paths = site.paths()
        for story in site.stories:
            assert paths.count(story.path.rstrip("/")) == 1 and paths.count(story.path) == 1  # each once
    stored = {u for (u,) in query(db, "select url from articles")}
    assert stored == {site.base_url.rstrip("/") + s.path for s in site.stories}
    assert run.stats.get("calcio/redirect_same_page") == len(site.stories)
