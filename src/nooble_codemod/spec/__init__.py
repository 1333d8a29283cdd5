"""The migration as data: loading a spec, its typed entries and its checklist."""
