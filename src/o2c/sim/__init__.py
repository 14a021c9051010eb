"""o2c.sim."""
