"""docverify: the command line and the reviewer web app (the outermost layer)."""
