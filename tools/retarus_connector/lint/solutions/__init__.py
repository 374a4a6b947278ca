"""Dataverse solutions and connector certification packages, read for the linter.

A solution arrives as a zip (what `pac solution export` writes), as an unpacked folder (what
`pac solution unpack` writes) or inside a certification package (an outer zip holding intro.md
and a package zip whose single folder holds the solution zips). Everything here treats its
input as hostile: zips are read within limits (`archive`), XML with defusedxml (`xmltree`), and
every trouble becomes an issue that a rule reports, never an exception.

`tree` gives zip entries and folder files one shape, `model` parses solutions and
certification packages from a tree, `discover` finds them for the engine, and `run` checks
them: the `solution`, `flow` and `certification` rule families on the parsed objects, and the
ordinary connector rules on the connector files found inside.
"""
