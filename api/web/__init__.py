"""The web UI: server-rendered page shells (Jinja2) whose scripts call the JSON API with the session cookie."""
