"""Email: templates, rendering, SMTP delivery of outbox rows."""
