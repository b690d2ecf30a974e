"""datasette-render-markdown comes with datasette-dashboards (a dashboard's Markdown charts use
its ``render_markdown`` template function and its ``{% markdown %}`` tag). Its ``render_cell``
hook, which renders the cells of ``*_markdown`` columns, runs for every cell of every HTML page
and reads the plugin's configuration each time (Datasette merges its metadata anew per call):
measured at 100k articles (cProfile of the articles table page, 100 rows of 21 columns), 2,100
calls per page, about a third of its time. The archive has no Markdown column, so the plugin is
registered again without that one hook; its template function and tag stay."""

from __future__ import annotations

import types

from datasette.plugins import pm

KEPT_HOOKS = ("extra_template_vars", "prepare_jinja2_environment")


def _markdown_without_cells() -> None:
    try:
        import datasette_render_markdown as markdown
    except ImportError:
        return
    if not pm.is_registered(markdown):  # already done (another Datasette in this process)
        return
    name = pm.get_name(markdown)
    pm.unregister(markdown)
    kept = types.ModuleType(markdown.__name__, markdown.__doc__)
    for hook in KEPT_HOOKS:
        if hasattr(markdown, hook):
            setattr(kept, hook, getattr(markdown, hook))
    pm.register(kept, name=name)


_markdown_without_cells()
