"""calcio-archive's Datasette views (loaded with --plugins-dir): headlines link to the
archived article's page, and an article's page shows its history, version by version, with
the words each version inserted and removed. Crawled text is escaped, never rendered."""

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from markupsafe import Markup

from archive.history import VERSION_COLUMNS, VERSIONS_SQL, history_html

# tables and canned queries whose (title, url) columns are an article's headline and URL
ARTICLE_TABLES = {None, "articles", "article_versions"}


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column != "title" or table not in ARTICLE_TABLES or not isinstance(value, str):
        return None
    try:
        url = row["url"]
    except (KeyError, IndexError):
        return None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return None
    href = datasette.urls.row(database, "articles", tilde_encode(url))
    return Markup('<a class="article-link" href="{}">{}</a>').format(href, value)


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or table != "articles" or request is None or "pks" not in request.url_vars:
        return {}

    async def history():
        pks = urlsafe_components(request.url_vars["pks"])
        if len(pks) != 1:
            return {}
        result = await datasette.get_database(database).execute(VERSIONS_SQL, [pks[0]])
        return {"article_history": history_html([dict(zip(VERSION_COLUMNS, r)) for r in result.rows])}

    return history
