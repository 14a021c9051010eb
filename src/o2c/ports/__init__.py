"""Ports: the protocols that side effects sit behind (a system of record, mail in and out); adapters
implement them and bootstrap wires them."""
