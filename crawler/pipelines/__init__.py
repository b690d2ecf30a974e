"""Pipelines decide what to store: extract (worker processes) → archive (SQLite)."""
