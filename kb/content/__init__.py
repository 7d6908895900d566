"""Content: strict YAML, schemas, checks, the model and `kb new` scaffolding. The only home of PyYAML and jsonschema."""
