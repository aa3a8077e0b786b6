"""The audit trail: every write QualityHub sends to Coupa, and status changes the sync saw."""
