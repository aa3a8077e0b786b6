"""Attachments written back to Coupa: validated uploads, queued pushes and deletes, downloads."""
