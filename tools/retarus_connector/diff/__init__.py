"""Breaking-change comparison of two versions of a connector (see ARCHITECTURE.md).

`compare.compare(old, new)` takes two parsed swaggers (and, optionally, the two apiProperties
documents, which `properties` compares) and yields `model.Change`s; `io` reads them from files,
package folders or a git revision.
"""
