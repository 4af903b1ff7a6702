"""Thin wrappers around external tools, turning their failures into pipeline errors."""
