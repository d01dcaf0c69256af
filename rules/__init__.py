"""The rule packs shipped with repair: YAML data validated against rules.schema.json."""
