"""Loading a connector package: the swagger, apiProperties, and the operations they describe.

Local `$ref`s to `#/parameters/...` and `#/responses/...` are resolved here, and path-level
parameters are merged into each operation, so later stages see one flat list per operation.
Schema `$ref`s into `#/definitions` stay in place; `schema.py` hands them to the validator.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retarus_connector.core.names import HTTP_METHODS, PROPERTIES_FILE, SCRIPT_FILE, SWAGGER_FILE
from retarus_connector.core.pointer import escape
from retarus_connector.core.properties import ApiProperties
from retarus_connector.core.properties import read as read_properties
from retarus_connector.core.refs import MAX_REF_HOPS, RefStatus, follow

from .errors import PackageError, UnknownOperationError
from .schema import translated_definitions, validator, violations

PARAMETER_LOCATIONS = ("path", "query", "header", "body", "formData")

# Connection parameter names Power Platform fixes for its built-in authentication types.
BASIC_USERNAME = "username"
BASIC_PASSWORD = "password"
API_KEY = "api_key"


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise PackageError(str(path), "", f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise PackageError(str(path), "", "is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise PackageError(
            str(path),
            "",
            f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
        ) from None


@dataclass(frozen=True)
class Parameter:
    """One swagger parameter of an operation, `$ref` resolved."""

    name: str
    location: str
    spec: Mapping[str, Any] = field(repr=False)
    pointer: str

    @property
    def required(self) -> bool:
        return bool(self.spec.get("required", False)) or self.location == "path"

    @property
    def has_default(self) -> bool:
        return "default" in self.spec or "default" in self.schema

    @property
    def default(self) -> Any:
        return self.spec["default"] if "default" in self.spec else self.schema.get("default")

    @property
    def internal(self) -> bool:
        return self.spec.get("x-ms-visibility") == "internal"

    @property
    def schema(self) -> Mapping[str, Any]:
        """The JSON schema of the value: `schema` for a body, the parameter itself otherwise."""
        if self.location == "body":
            schema = self.spec.get("schema", {})
            return schema if isinstance(schema, Mapping) else {}
        return self.spec

    @property
    def is_file(self) -> bool:
        return self.location == "formData" and self.spec.get("type") == "file"


@dataclass(frozen=True)
class ConnectionParameter:
    name: str
    type: str

    @property
    def secret(self) -> bool:
        return self.type.lower() in {"securestring", "secureobject"}


@dataclass(frozen=True)
class OperationSpec:
    """One operation of the swagger as the runtime needs it."""

    operation_id: str
    method: str
    path: str
    pointer: str
    spec: Mapping[str, Any] = field(repr=False)
    parameters: tuple[Parameter, ...]

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    @property
    def body_parameter(self) -> Parameter | None:
        return next((p for p in self.parameters if p.location == "body"), None)


class ConnectorPackage:
    """The swagger and apiProperties of one connector package, loaded and indexed."""

    def __init__(
        self,
        swagger: Mapping[str, Any],
        properties: Mapping[str, Any] | None,
        *,
        swagger_file: str = SWAGGER_FILE,
        properties_file: str = PROPERTIES_FILE,
        script: bytes | None = None,
    ) -> None:
        if not isinstance(swagger, Mapping):
            raise PackageError(swagger_file, "", "is not a JSON object")
        if "openapi" in swagger or str(swagger.get("swagger", "")) != "2.0":
            raise PackageError(swagger_file, "/swagger", "only Swagger 2.0 definitions can be run")
        if properties is not None and not isinstance(properties, Mapping):
            raise PackageError(properties_file, "", "is not a JSON object")
        self.swagger = swagger
        self.properties = properties
        self.swagger_file = swagger_file
        self.properties_file = properties_file
        self.script = script  # script.csx, the custom code, when the package has one
        self._operations = {op.operation_id: op for op in self._collect_operations()}
        self._definitions: dict[str, Any] | None = None
        self._api_properties: ApiProperties | None = None
        # id -> (schema, validator): holding the schema keeps its id from being reused.
        self._validators: dict[int, tuple[Any, Any]] = {}

    @classmethod
    def load(cls, directory: Path | str) -> ConnectorPackage:
        folder = Path(directory)
        swagger_path = folder / SWAGGER_FILE
        if not swagger_path.is_file():
            raise PackageError(str(swagger_path), "", "not found; is this a connector package?")
        properties_path = folder / PROPERTIES_FILE
        properties = _load_json(properties_path) if properties_path.is_file() else None
        script_path = folder / SCRIPT_FILE
        try:
            script = script_path.read_bytes() if script_path.is_file() else None
        except OSError as error:
            raise PackageError(str(script_path), "", f"cannot be read ({error.strerror})") from None
        return cls(
            _load_json(swagger_path),
            properties,
            swagger_file=str(swagger_path),
            properties_file=str(properties_path),
            script=script,
        )

    # -- references -------------------------------------------------------------------------

    def resolve(self, node: Any, pointer: str = "") -> tuple[Any, str]:
        """Follow local `$ref`s (as `core.refs` does for every layer) until a node without one;
        returns it and where it lives. A reference that cannot be followed raises PackageError
        naming where it is written; a `$ref` that is not a string is no reference and is
        returned as it is."""
        found = follow(self.swagger, node, pointer)
        if found.status in (RefStatus.RESOLVED, RefStatus.NOT_TEXT):
            return found.node, found.pointer
        ref = found.refs[-1]
        reasons = {
            RefStatus.EXTERNAL: f"only local references can be run, not '{ref}'",
            RefStatus.MALFORMED: f"'{ref}' is not a JSON pointer into this document",
            RefStatus.MISSING: f"'{ref}' does not exist",
            RefStatus.CYCLE: f"'{ref}' refers to itself",
            RefStatus.TOO_LONG: f"'{found.refs[0]}' starts a chain of more than {MAX_REF_HOPS} references",
        }
        raise PackageError(self.swagger_file, found.pointer, reasons[found.status])

    def schema_definitions(self) -> dict[str, Any]:
        """`#/definitions`, translated for the validator once per package."""
        if self._definitions is None:
            self._definitions = translated_definitions(self.swagger)
        return self._definitions

    def violations(
        self, schema: Mapping[str, Any], pointer: str, instance: Any, *, hide_values: bool = False
    ) -> list[tuple[str, str]]:
        """How `instance` breaks `schema` (found at `pointer` in the swagger): (pointer into
        the instance, message) pairs. A schema that cannot be used raises PackageError."""
        from jsonschema.exceptions import SchemaError
        from referencing.exceptions import Unresolvable

        cached = self._validators.get(id(schema))
        check = cached[1] if cached is not None else None
        if check is None:
            try:
                check = validator(schema, self.schema_definitions())
            except SchemaError as error:
                where = "".join(f"/{part}" for part in error.relative_path)
                raise PackageError(
                    self.swagger_file,
                    pointer,
                    f"schema is not valid{' at ' + where if where else ''}: {error.message}",
                ) from None
            self._validators[id(schema)] = (schema, check)
        try:
            return violations(check, instance, hide_values=hide_values)
        except Unresolvable as error:
            raise PackageError(
                self.swagger_file, pointer, f"a $ref cannot be resolved ({error})"
            ) from None

    # -- operations -------------------------------------------------------------------------

    def _collect_operations(self) -> Iterator[OperationSpec]:
        paths = self.swagger.get("paths")
        if not isinstance(paths, Mapping):
            raise PackageError(self.swagger_file, "/paths", "missing or not an object")
        for path, item in paths.items():
            item_pointer = f"/paths/{escape(path)}"
            if not isinstance(item, Mapping):
                continue
            shared = self._parameters(item.get("parameters", []), f"{item_pointer}/parameters")
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, Mapping) or "operationId" not in operation:
                    continue
                pointer = f"{item_pointer}/{method}"
                own = self._parameters(operation.get("parameters", []), f"{pointer}/parameters")
                overridden = {(p.name, p.location) for p in own}
                merged = [p for p in shared if (p.name, p.location) not in overridden] + own
                yield OperationSpec(
                    operation_id=str(operation["operationId"]),
                    method=method.upper(),
                    path=path,
                    pointer=pointer,
                    spec=operation,
                    parameters=tuple(merged),
                )

    def _parameters(self, entries: Any, pointer: str) -> list[Parameter]:
        if not isinstance(entries, list):
            raise PackageError(self.swagger_file, pointer, "must be a list")
        found: list[Parameter] = []
        for index, entry in enumerate(entries):
            spec, where = self.resolve(entry, f"{pointer}/{index}")
            if not isinstance(spec, Mapping) or not isinstance(spec.get("name"), str):
                raise PackageError(self.swagger_file, where, "a parameter needs a name")
            location = spec.get("in")
            if location not in PARAMETER_LOCATIONS:
                raise PackageError(
                    self.swagger_file,
                    where,
                    f"parameter '{spec['name']}' has location {location!r}; "
                    f"expected one of {', '.join(PARAMETER_LOCATIONS)}",
                )
            found.append(Parameter(name=spec["name"], location=location, spec=spec, pointer=where))
        return found

    @property
    def operations(self) -> tuple[OperationSpec, ...]:
        return tuple(self._operations.values())

    def operation(self, operation_id: str) -> OperationSpec:
        try:
            return self._operations[operation_id]
        except KeyError:
            close = difflib.get_close_matches(operation_id, list(self._operations), n=3)
            folded = [name for name in self._operations if name.lower() == operation_id.lower()]
            suggestions = tuple(dict.fromkeys([*folded, *close]))
            raise UnknownOperationError(self.swagger_file, operation_id, suggestions) from None

    def responses(self, operation: OperationSpec) -> dict[str, tuple[Mapping[str, Any], str]]:
        """Status code (or "default") -> (response object, its pointer), `$ref`s resolved."""
        declared = operation.spec.get("responses", {})
        found: dict[str, tuple[Mapping[str, Any], str]] = {}
        if isinstance(declared, Mapping):
            for status, response in declared.items():
                where = f"{operation.pointer}/responses/{escape(str(status))}"
                resolved, where = self.resolve(response, where)
                if isinstance(resolved, Mapping):
                    found[str(status)] = (resolved, where)
        return found

    def media_types(self, operation: OperationSpec, key: str) -> list[str]:
        """`consumes` or `produces` of the operation, falling back to the swagger's."""
        value = operation.spec.get(key, self.swagger.get(key, []))
        return [str(item) for item in value] if isinstance(value, list) else []

    # -- base URL and security --------------------------------------------------------------

    def base_url(self) -> str | None:
        """First scheme + host + basePath, as the gateway builds the backend URL."""
        host = self.swagger.get("host")
        if not isinstance(host, str) or not host:
            return None
        schemes = self.swagger.get("schemes")
        scheme = schemes[0] if isinstance(schemes, list) and schemes else "https"
        base_path = self.swagger.get("basePath", "/")
        base_path = base_path if isinstance(base_path, str) else "/"
        return f"{scheme}://{host}{base_path}".rstrip("/")

    def security_scheme(self, operation: OperationSpec) -> tuple[str, Mapping[str, Any]] | None:
        """The security definition that applies.

        Power Platform applies the connector's authentication to every operation, whatever
        `security` says; with several definitions, the one a `security` requirement names wins.
        """
        definitions = self.swagger.get("securityDefinitions")
        if not isinstance(definitions, Mapping) or not definitions:
            return None
        for requirements in (operation.spec.get("security"), self.swagger.get("security")):
            if isinstance(requirements, list):
                for requirement in requirements:
                    if isinstance(requirement, Mapping):
                        for name in requirement:
                            if isinstance(definitions.get(name), Mapping):
                                return str(name), definitions[name]
        name, definition = next(iter(definitions.items()))
        return (str(name), definition) if isinstance(definition, Mapping) else None

    # -- apiProperties ----------------------------------------------------------------------

    @property
    def api_properties(self) -> ApiProperties:
        """apiProperties.json read by core's one reader, once per package (empty without it)."""
        if self._api_properties is None:
            self._api_properties = read_properties(self.properties)
        return self._api_properties

    def connection_parameters(self) -> dict[str, ConnectionParameter] | None:
        """Declared connection parameters (all sets merged); None without apiProperties."""
        if self.properties is None:
            return None
        declared: dict[str, ConnectionParameter] = {}
        for parameter in self.api_properties.all_connection_parameters():
            # a name defined again (in a parameter set) takes the later definition's type
            kind = parameter.definition.get("type", "string")
            declared[parameter.name] = ConnectionParameter(name=parameter.name, type=str(kind))
        return declared

    def script_operations(self) -> tuple[str, ...]:
        """The operationIds apiProperties routes through the custom code; empty for every
        operation (an empty or missing `scriptOperations`)."""
        return tuple(str(item.value) for item in self.api_properties.script_operations)
