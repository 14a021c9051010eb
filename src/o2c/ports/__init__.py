"""Ports: the protocols that side effects sit behind (mail in and out); adapters implement them."""
