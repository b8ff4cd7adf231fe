"""Event files: strict YAML reading, the schema, semantic checks, loading, editing, writing."""
