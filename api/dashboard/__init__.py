"""SLA dashboard endpoint."""
