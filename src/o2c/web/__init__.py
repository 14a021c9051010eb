"""The web UI for the people who run Order-to-Cash: server-rendered pages (Jinja2) with htmx."""
