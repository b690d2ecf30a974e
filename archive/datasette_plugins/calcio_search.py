"""A table search for a common word, read in the table's order (loaded with --plugins-dir).

Datasette searches a table with ``where rowid in (select rowid from articles_fts where
articles_fts match :search)`` and sorts the matches by the table's order (articles: newest
first). SQLite takes each match's whole row (texts included) into its sorter: 5,000 matches of
100,000 articles, 38 ms in SQLite, against 1.6 ms walking the ``published`` index newest first
and keeping the first 101 matches, which the planner does not choose (it takes any ``IN
(SELECT …)`` for 25 rows). ``+rowid in (…)`` (the same condition, not usable as a lookup) makes
it walk the index; the page's row count then scans an index with the same condition (13 ms
instead of 4 at 5,000 matches), so the clause is changed only for a search with many matches
(``MANY`` or more: under that, sorting the matches costs less than the count loses), on a
table whose order is one of its indexes, with no other filter. The default facets over a search
count the matches by rowid, both in one pass (calcio_facets.py). Same rows, same order (timings:
benchmarks/datasette_speed.py and SQLite alone on its 100k archive, load 4-5).

Datasette's own ``filters_from_request`` hooks are kept, its search hook wrapped: the module is
registered again with this search hook instead (as calcio_cells.py does)."""

from __future__ import annotations

import types

from datasette import filters as datasette_filters
from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.plugins import pm

# tables whose order an index walk gives: table -> the sort columns with an index of their own
INDEXED_ORDER = {"articles": {"published"}}
MANY = 2_500  # matches from which the table's search walks its order's index
SEARCH_PARAM = "search"


def _ordered_by_index(request, table: str, datasette, database: str) -> bool:
    columns = INDEXED_ORDER.get(table)
    if not columns:
        return False
    meta = datasette.table_metadata(database, table)
    sort = request.args.get("_sort") or request.args.get("_sort_desc") or meta.get("sort") or meta.get("sort_desc")
    return sort in columns


def _only_a_search(request) -> bool:
    # column filters (?site=…), ?_where=, ?_through= or a column search: left to the planner
    return all(key.startswith("_") and "__" not in key and key not in ("_where", "_through")
               and (not key.startswith("_search_")) for key in request.args)


def search_filters(request, database, table, datasette):
    inner = datasette_filters.search_filters(request, database, table, datasette)

    async def planned():
        args: FilterArguments = await inner()
        if ("_search" not in request.args or len(args.where_clauses) != 1 or SEARCH_PARAM not in args.params
                or not _only_a_search(request) or not _ordered_by_index(request, table, datasette, database)):
            return args
        clause = args.where_clauses[0]
        if not clause.startswith("rowid in (select rowid from "):
            return args
        fts = clause.split("select rowid from ", 1)[1].split(" where ", 1)[0]
        match = clause.split(" match ", 1)[1][:-1]  # ":search", or "escape_fts(:search)" (_searchmode=escaped)
        try:
            many = (await datasette.get_database(database).execute(
                f"select count(*) from (select rowid from {fts} where {fts} match {match} limit {MANY})",
                {SEARCH_PARAM: args.params[SEARCH_PARAM]})).first()[0] >= MANY
        except Exception:  # a malformed search (raw mode), interrupted: Datasette's own query says so
            return args
        if many:
            args.where_clauses[0] = "+" + clause
        return args

    return planned


def _register() -> None:
    if not pm.is_registered(datasette_filters):  # already done (another Datasette in this process)
        return
    name = pm.get_name(datasette_filters)
    pm.unregister(datasette_filters)
    kept = types.ModuleType(datasette_filters.__name__, datasette_filters.__doc__)
    kept.where_filters = datasette_filters.where_filters
    kept.through_filters = datasette_filters.through_filters

    @hookimpl(specname="filters_from_request")
    def planned_search_filters(request, database, table, datasette):
        return search_filters(request, database, table, datasette)

    kept.search_filters = planned_search_filters
    pm.register(kept, name=name)


_register()
