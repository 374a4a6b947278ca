"""Breaking-change comparison of two Swagger 2.0 connector definitions (see ARCHITECTURE.md).

`compare.compare(old, new)` takes two parsed documents and yields `model.Change`s; `io` reads
them from files or from a git revision.
"""
