"""One router per domain. Routers hold no logic: they resolve parameters through scoped selectors."""
