"""o2c.services."""
