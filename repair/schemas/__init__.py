"""JSON Schemas of repair's outputs."""
