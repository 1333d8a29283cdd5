"""The project model: what the back end's files declare and use, across
files, so a rename is decided for a symbol and not for a name.

`facts.py` reads one file (CPython's `ast`, a tenth of LibCST's cost: the
model needs every file that mentions a migrated name, before the rules run);
`index.py` ties names to declarations across files (imports, classes and
their bases, annotations); `groups.py` decides each rename as one edit
group, whole or not at all; `decisions.py` is what a file's rules are given.
"""
