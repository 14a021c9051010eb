"""Real file formats: each importer identifies, parses and renders one family of files."""
