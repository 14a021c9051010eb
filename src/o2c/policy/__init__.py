"""o2c.policy."""
