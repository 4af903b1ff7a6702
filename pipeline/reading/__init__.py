"""reading stages and checks."""
