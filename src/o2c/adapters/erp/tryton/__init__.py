"""Tryton as the books: a client (XML-RPC or in-process), a reader and pusher, and the setup of a
company's Tryton database (company, fiscal year, chart, payment terms, statement journal, dunning)."""
