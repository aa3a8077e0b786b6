# English keeps the ISO dates quality teams write (2026-11-25), not the US default (11/25/2026).
# German, French and Spanish use Django's own formats (25.11.2026, 25/11/2026).
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
