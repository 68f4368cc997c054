"""Periodic member-list bulletins: rendered once to PDF and CSV from their own period, signed, never re-rendered."""
