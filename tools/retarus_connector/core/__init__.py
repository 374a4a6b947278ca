"""What every layer reads connector packages with: JSON pointers (`pointer`), the one `$ref`
follower (`refs`), the package's file names and HTTP methods (`names`), the tolerant JSON
reader (`jsonfile`), a JSON value's type as messages name it (`jsontype`), PNG pictures (`png`)
and the read model of apiProperties.json (`properties`).

Core imports nothing of the project but the package root, and every other layer may import it.
It never prints, exits or keeps state between calls.
"""
