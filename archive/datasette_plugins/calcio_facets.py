"""The articles table's default facets, counted ahead (loaded with --plugins-dir).

Datasette counts a column facet with ``select site, count(*) from (select … from articles)
group by site``: at 100,000 articles a scan of the facet's whole index on every view of the
table, ~10 ms per facet under load (benchmarks/datasette_speed.py). Migration
m012_facet_counts keeps those counts in ``article_facet_counts`` (triggers on articles). A
facet configured in the metadata as ``{"counted": "site"}`` is an ordinary column facet (same
JSON and HTML, same links, type "column") that reads them while the table is shown whole; as
soon as the page is filtered or searched it counts the matching rows, all the counted facets in
one pass over them (Datasette reads them once per facet: at 5,000 matches of a search, 5,000
row lookups per facet)."""

from __future__ import annotations

import sqlite3

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from archive.schema import FACET_COUNT_COLUMNS

COUNTED_TABLES = {"articles": FACET_COUNT_COLUMNS}
COUNTS_SQL = ("select value, articles as count from article_facet_counts where facet = :facet and articles > 0 "
              "order by articles desc, value limit :limit")


class CountedFacet(ColumnFacet):
    type = "counted"

    def _whole_table(self) -> bool:
        # Datasette gives its facets the page's SQL without order or limit: "select … from
        # [table] " followed by "where …" as soon as anything filters or searches the page
        return (self.table in COUNTED_TABLES and not self.params
                and self.sql.rstrip().endswith(f" from {escape_sqlite(self.table)}"))

    async def facet_results(self):
        configs = [(c["config"].get("column") or c["config"]["simple"], c["source"]) for c in self.get_configs()]
        if not configs:
            return [], []
        if self._whole_table() and all(column in COUNTED_TABLES[self.table] for column, _ in configs):
            try:
                return await self._from_counts(configs), []
            except sqlite3.OperationalError:  # an archive without m012: count the rows
                pass
        return await self._in_one_pass(configs)

    async def _from_counts(self, configs):
        limit = self.get_facet_size() + 1
        return [await self._facet(column, source, (await self.ds.execute(
                    self.database, COUNTS_SQL, {"facet": column, "limit": limit})).rows)
                for column, source in configs]

    async def _in_one_pass(self, configs):
        """The page filtered or searched: every counted facet from one reading of the matching
        rows (Datasette reads them once per facet), grouped by all the facets' columns at once
        (a few hundred groups for site and section), then summed per facet."""
        columns = list(dict.fromkeys(column for column, _ in configs))
        names = ", ".join(escape_sqlite(c) for c in columns)
        # a search's match condition as Datasette writes it: calcio_search.py may have made it
        # "+rowid in" for the page's rows; counting every match is faster by rowid
        sql = self.sql.replace(" +rowid in (select rowid from ", " rowid in (select rowid from ")
        try:
            groups = (await self.ds.execute(
                self.database, f"select {names}, count(*) from ({sql}) group by {names}", self.params,
                truncate=False, custom_time_limit=self.ds.setting("facet_time_limit_ms"))).rows
        except QueryInterrupted:
            return [], columns
        limit = self.get_facet_size() + 1
        results = []
        for column, source in configs:
            i = columns.index(column)
            counts = {}
            for group in groups:
                if group[i] is not None:
                    counts[group[i]] = counts.get(group[i], 0) + group[-1]
            # SQLite's order: count descending, then the value (text compares as its UTF-8 bytes,
            # the order of Python's str)
            top = sorted(counts.items(), key=lambda vc: (-vc[1], vc[0]))[:limit]
            results.append(await self._facet(column, source, [{"value": v, "count": c} for v, c in top]))
        return results, []

    async def _facet(self, column, source, rows):
        """Datasette's column facet (ColumnFacet.facet_results) from its (value, count) rows."""
        facet_size = self.get_facet_size()
        qs_pairs = self.get_querystring_pairs()
        values = [row["value"] for row in rows[:facet_size]]
        expanded = await self.ds.expand_foreign_keys(self.database, self.table, column, values)
        column_qs = f"{column}__exact" if column.startswith("_") else column
        results = []
        for row in rows[:facet_size]:
            selected = (column_qs, str(row["value"])) in qs_pairs
            toggle = (path_with_removed_args(self.request, {column_qs: str(row["value"])}) if selected
                      else path_with_added_args(self.request, {column_qs: row["value"]}))
            results.append({"value": row["value"], "label": expanded.get((column, row["value"]), row["value"]),
                            "count": row["count"], "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)),
                            "selected": selected})
        return {"name": column, "type": "column",  # the same facet as Datasette's, to pages and API clients
                "hideable": source != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
                "results": results, "truncated": len(rows) > facet_size}


@hookimpl
def register_facet_classes():
    return [CountedFacet]
