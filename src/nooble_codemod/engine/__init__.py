"""The run: prefilter, per-file pipeline, worker processes, cache and replay."""
