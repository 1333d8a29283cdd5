"""nooble-codemod: migrates a supabase code base along a migration spec (built in: Nooble8 database V6.0)."""

__version__ = "0.1.0"
