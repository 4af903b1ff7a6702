"""imaging stages and checks."""
