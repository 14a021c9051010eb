"""o2c.views."""
