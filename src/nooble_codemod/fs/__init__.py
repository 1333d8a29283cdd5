"""The file system: discovery, ignore files, source text, git state and atomic writes."""
