"""What a run prints: text, Markdown, JSON, GitHub, SARIF, diffs and baselines."""
