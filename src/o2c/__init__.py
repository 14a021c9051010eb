"""o2c: an agentic Order-to-Cash layer above the systems of record."""

__version__ = "0.1.0"
