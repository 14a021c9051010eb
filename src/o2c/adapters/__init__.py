"""Adapters: the outside world (database, files, mail, LLM) behind the ports the services declare."""
