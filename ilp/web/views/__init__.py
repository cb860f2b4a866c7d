"""Page views, one module per section. Thin: they read through the scoped selectors and call services."""
