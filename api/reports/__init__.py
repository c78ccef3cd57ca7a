"""Reports over HTTP: the annual report in JSON, Markdown, xlsx and PDF."""
