"""The names a connector package is made of: its files, the HTTP methods of its swagger, the
keys of a policy template's parameters, and the longest title Power Platform accepts for it."""

from __future__ import annotations

SWAGGER_FILE = "apiDefinition.swagger.json"
PROPERTIES_FILE = "apiProperties.json"
ICON_FILE = "icon.png"
SCRIPT_FILE = "script.csx"
SETTINGS_FILE = "settings.json"  # paconn's settings, beside the package
# the connector readme; certified packages write it in several letter cases, all accepted
README_FILE = "readme.md"

# the operations a Swagger 2.0 path item may hold, in the order the specification lists them
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
# the methods that change something on the server
WRITE_METHODS = frozenset({"put", "post", "delete", "patch"})

# the keys of a Swagger 2.0 document's root object, in the order Microsoft's connectors and
# coding standards write them; x-ms-* extensions may follow
SWAGGER_ROOT_KEYS = (
    "swagger",
    "info",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
    "security",
    "tags",
    "externalDocs",
)

# the most characters a connector's title (`info.title`) may have
TITLE_LIMIT = 30

# In apiProperties.json, a policy template's own parameters carry this prefix; the other two
# keys apply to every template: the operations it is limited to, and its section (Request,
# Response, Failure).
PARAMETER_PREFIX = "x-ms-apimTemplateParameter."
OPERATION_NAME = "x-ms-apimTemplate-operationName"
POLICY_SECTION = "x-ms-apimTemplate-policySection"
