"""Marking inspections exported (or not) in Coupa, one at a time or in bulk."""
