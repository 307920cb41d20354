"""Developer tools that are not part of the app (a fake Semrush API server, ...)."""
