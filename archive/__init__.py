"""The archive: SQLite written with sqlite-utils, its schema, writes, WARC and CLI.

Imports nothing from ``crawler``.
"""
