"""Rules: schema and loader, safe formulas, interval arithmetic, kinds and the engine."""
