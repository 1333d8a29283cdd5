"""nooble-codemod: migrates a Nooble8 code base to database schema V6.0."""

__version__ = "0.1.0"
