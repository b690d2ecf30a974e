"""The articles table's default facets, counted ahead (loaded with --plugins-dir).

Datasette counts a column facet with ``select site, count(*) from (select … from articles)
group by site``: at 100,000 articles a scan of the facet's whole index on every view of the
table, ~10 ms per facet under load (benchmarks/datasette_speed.py). Migration
m012_facet_counts keeps those counts in ``article_facet_counts`` (triggers on articles). A
facet configured in the metadata as ``{"counted": "site"}`` is an ordinary column facet (same
JSON and HTML, same links, type "column") that reads them while the table is shown whole; as
soon as the page is filtered or searched it counts with Datasette's own SQL, as any facet."""

from __future__ import annotations

import sqlite3

from datasette import hookimpl
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
        counted = COUNTED_TABLES.get(self.table, ())
        configs = self.get_configs()
        if not self._whole_table() or any((c["config"].get("column") or c["config"]["simple"]) not in counted
                                          for c in configs):
            results, timed_out = await super().facet_results()  # Datasette's SQL
        else:
            try:
                results, timed_out = await self._counted(configs)
            except sqlite3.OperationalError:  # an archive without m012: count as Datasette does
                results, timed_out = await super().facet_results()
        for facet in results:
            facet["type"] = "column"  # the same facet as Datasette's, to pages and API clients
        return results, timed_out

    async def _counted(self, configs):
        facet_results = []
        facet_size = self.get_facet_size()
        qs_pairs = self.get_querystring_pairs()
        for source_and_config in configs:
            config, source = source_and_config["config"], source_and_config["source"]
            column = config.get("column") or config["simple"]
            rows = (await self.ds.execute(self.database, COUNTS_SQL, {"facet": column, "limit": facet_size + 1})).rows
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
            facet_results.append({
                "name": column, "type": "column", "hideable": source != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
                "results": results, "truncated": len(rows) > facet_size})
        return facet_results, []


@hookimpl
def register_facet_classes():
    return [CountedFacet]
