"""Swagger 2.0 structure: the version, the required keys, the types of the main objects and
the root keys (SW-01, SCH-05)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from retarus_connector.core.pointer import join
from retarus_connector.lint.model import Package, Problem, Severity, rule
from retarus_connector.lint.rules._walk import (
    kind_of,
)
from retarus_connector.lint.rules.structure._common import (
    HOST,
    ROOT_KEYS,
    SCHEMES,
    raw_swagger,
)


@rule("swagger-version", Severity.ERROR, needs=())
def swagger_version(package: Package) -> Iterator[Problem]:
    """The swagger declares `"swagger": "2.0"`.

    What: the root object's `swagger` key is missing or holds something other than the string
    "2.0" (reference SW-01).
    Why: Power Platform reads Swagger 2.0 only; the version key is how every tool knows which
    format it reads.
    Fix: put `"swagger": "2.0"` first in the document.
    """
    swagger = raw_swagger(package)
    if swagger is None or ("openapi" in swagger and "swagger" not in swagger):
        return
    if "swagger" not in swagger:
        yield Problem('The swagger has no "swagger" key; it must be "swagger": "2.0".', "")
    elif swagger["swagger"] != "2.0":
        yield Problem(
            f'"swagger" must be the string "2.0", not {json.dumps(swagger["swagger"])}.',
            "/swagger",
        )


@rule("swagger-openapi-3", Severity.ERROR, needs=())
def swagger_openapi_3(package: Package) -> Iterator[Problem]:
    """The swagger is not an OpenAPI 3 document.

    What: the document has an `openapi` key (3.0, 3.1) instead of `"swagger": "2.0"`. No other
    swagger rule runs on it: their findings would only repeat that the format is wrong.
    Why: Power Platform custom connectors accept Swagger 2.0 (OpenAPI 2.0) only; an OpenAPI 3
    file is refused on import.
    Fix: convert the definition to Swagger 2.0 (servers become host, basePath and schemes;
    components/schemas become definitions; requestBody becomes a body parameter).
    """
    swagger = raw_swagger(package)
    if swagger is not None and "openapi" in swagger and "swagger" not in swagger:
        yield Problem(
            f"This is an OpenAPI {swagger['openapi']} document; Power Platform connectors must "
            'be Swagger 2.0 ("swagger": "2.0").',
            "/openapi",
        )


@rule("swagger-required", Severity.ERROR)
def swagger_required(package: Package) -> Iterator[Problem]:
    """The swagger has `info` with `title` and `version`, and `paths`.

    What: a required key of Swagger 2.0 is missing.
    Why: these are the keys every Swagger 2.0 reader needs; Microsoft's validator refuses the
    document without them (reference section 3).
    Fix: add the missing key: `info.title` is the connector's name, `info.version` its version,
    `paths` its operations.
    """
    swagger = package.swagger
    info = swagger.get("info")
    if "info" not in swagger:
        yield Problem('The required key "info" is missing.', "")
    elif isinstance(info, dict):
        for key in ("title", "version"):
            if key not in info:
                yield Problem(f'The required key "{key}" is missing from "info".', "/info")
    if "paths" not in swagger:
        yield Problem('The required key "paths" is missing.', "")


_ROOT_OBJECTS = ("info", "paths", "definitions", "parameters", "responses", "securityDefinitions")
_ROOT_STRING_ARRAYS = ("schemes", "consumes", "produces")


@rule("swagger-types", Severity.ERROR)
def swagger_types(package: Package) -> Iterator[Problem]:
    """The main objects of the swagger have the types Swagger 2.0 gives them.

    What: `info`, `paths`, `definitions`, `parameters`, `responses` and `securityDefinitions`
    are objects (the entries of the last four too); `schemes`, `consumes` and `produces` are
    arrays of strings, schemes among http, https, ws, wss; `host` is a host name with an optional
    port and no scheme or path; `basePath` starts with "/"; `security` and `tags` are arrays of
    objects; the texts in `info` are strings and `info.contact` is an object.
    Why: a reader that finds a string where an object belongs cannot use the document; the
    portal builds the backend URL from the first scheme, host and basePath.
    A placeholder host that a dynamichosturl policy replaces at run time must still be a host
    name: of the about 150 certified connectors with that policy (October 2024) all but one
    write a host name such as `yourinstance.contoso.com`; the one exception
    (`{{replace_with_your_domain}}`, 2020) predates the check in Microsoft's published schema.
    Fix: give the key the type named in the message.
    """
    swagger = package.swagger
    for key in _ROOT_OBJECTS:
        if key in swagger and not isinstance(swagger[key], dict):
            yield Problem(f'"{key}" must be an object, not {kind_of(swagger[key])}.', f"/{key}")
    for key in ("definitions", "parameters", "responses", "securityDefinitions"):
        section = swagger.get(key)
        if isinstance(section, dict):
            for name, entry in section.items():
                if not isinstance(entry, dict):
                    yield Problem(
                        f'"{key}" entries must be objects; {name!r} is {kind_of(entry)}.',
                        join(f"/{key}", name),
                    )
    for key in _ROOT_STRING_ARRAYS:
        if key not in swagger:
            continue
        value = swagger[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            yield Problem(f'"{key}" must be an array of strings.', f"/{key}")
        elif key == "schemes":
            for index, scheme in enumerate(value):
                if scheme not in SCHEMES:
                    yield Problem(
                        f"Unknown scheme {scheme!r}; use one of {', '.join(SCHEMES)}.",
                        f"/schemes/{index}",
                    )
    if "host" in swagger:
        host = swagger["host"]
        if not isinstance(host, str) or not HOST.match(host):
            yield Problem(
                f"'host' must be a host name with an optional port, no scheme or path: "
                f"{json.dumps(host)}.",
                "/host",
            )
    if "basePath" in swagger:
        base_path = swagger["basePath"]
        if not isinstance(base_path, str) or not base_path.startswith("/"):
            yield Problem(f"'basePath' must start with '/': {json.dumps(base_path)}.", "/basePath")
    for key in ("security", "tags"):
        if key in swagger:
            value = swagger[key]
            if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                yield Problem(f'"{key}" must be an array of objects.', f"/{key}")
    info = swagger.get("info")
    if isinstance(info, dict):
        for key in ("title", "version", "description", "termsOfService"):
            if key in info and not isinstance(info[key], str):
                yield Problem(
                    f'"info.{key}" must be a string, not {kind_of(info[key])}.', f"/info/{key}"
                )
        for key in ("contact", "license"):
            if key in info and not isinstance(info[key], dict):
                yield Problem(
                    f'"info.{key}" must be an object, not {kind_of(info[key])}.', f"/info/{key}"
                )


@rule("swagger-unknown-root-key", Severity.ERROR)
def swagger_unknown_root_key(package: Package) -> Iterator[Problem]:
    """The root of the swagger holds only Swagger 2.0 keys and `x-` extensions.

    What: a root key that Swagger 2.0 does not define and that does not start with "x-", such as
    `scriptOperations` (which belongs in apiProperties.json) or `servers` (OpenAPI 3).
    Why: Microsoft's validator rejects it with "ExtensionNameNotValid" (reference SCH-05).
    Fix: move the key where it belongs, or prefix a vendor extension with "x-".
    """
    for key in package.swagger:
        if key not in ROOT_KEYS and not key.startswith("x-"):
            yield Problem(
                f"Unknown root key {key!r}: not a Swagger 2.0 key and not an x- extension.",
                join("", key),
            )


# --------------------------------------------------------------------------- paths and operations
