"""The local cache of Coupa's inspections: models and admin."""
