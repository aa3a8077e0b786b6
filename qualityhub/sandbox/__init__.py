"""The Coupa sandbox: a stand-alone stand-in for Coupa's Quality Collaboration API.

It imports nothing from the dashboard (only the standard library), keeps its own SQLite state and
is started with `python manage.py coupa_sandbox` or `python -m qualityhub.sandbox`.
"""
