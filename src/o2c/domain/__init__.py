"""The pure O2C model: money, ledger, customers, catalog, documents. Imports nothing but itself."""
