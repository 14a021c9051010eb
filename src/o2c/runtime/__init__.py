"""o2c.runtime: durable workflows (DBOS Transact), idempotent steps, workers.

Import the submodules (``durable``, ``flows``, ``steps``, ``client``, ``worker``); this package
imports nothing itself, so importing it does not load DBOS. See ``README-durable.md``.
"""
