"""Ports: the protocols o2c's services use for what lies outside it (a system of record, for now)."""
