"""The HTTP side of o2c: the REST API (JSON, OpenAPI) and the web UI share one FastAPI application."""
