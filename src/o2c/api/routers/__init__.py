"""REST API routers, one per area; each route reads through ``o2c.views`` or acts through ``o2c.api.actions``."""
