"""o2c.agents."""
