"""matching stages and checks."""
