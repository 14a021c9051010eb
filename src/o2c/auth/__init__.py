"""People and their rights: users with hashed passwords, API tokens stored as hashes, and four roles."""
