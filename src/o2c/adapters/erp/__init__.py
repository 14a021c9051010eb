"""Systems of record behind the ``SystemOfRecord`` port: o2c's own ledger (the default) and Tryton."""
