"""The command line: typer's interface, the fast launcher, the commands and their settings."""
