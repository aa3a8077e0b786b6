"""Raising new inspection requests in Coupa: the form, and imports of many at once."""
