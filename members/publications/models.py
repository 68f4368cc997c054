"""Periodic published lists (Art 25): numbered bulletins rendered from the membership event log."""
