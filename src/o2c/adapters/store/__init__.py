"""Persistence: SQLAlchemy Core tables, row <-> domain mapping, repositories and the unit of work."""
