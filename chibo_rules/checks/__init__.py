"""Check kinds (being written)."""
