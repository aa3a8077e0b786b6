"""Keeping the cache fresh from Coupa: pull functions, thin Celery tasks and run records."""
