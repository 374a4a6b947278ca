"""apiProperties.json as every layer reads it: the connection parameters (of
`connectionParameters` and of each parameter set), the parameter sets, the policy template
instances, `capabilities` and `scriptOperations`, each with the JSON pointer where it is written.

`read` takes the parsed document, whatever JSON value it is, and never raises: a part of the
wrong type reads as absent (an object that is not one is empty, a list that is not one has no
entries), an entry that is not an object is passed over, and what the layers judge in their own
ways (a type written as a number, two sets of one name, a misspelled key) stays in reach through
each view's `node`. Lint reports at the pointers, the diff compares the views, the runtime runs
them; each reads a document once (lint in the package's memo, the runtime on its package, the
diff per compared version).

The views are small classes with `__slots__`, read-only by convention: every lint process
defines them, and a slotted class costs a tenth of a NamedTuple to define and a fiftieth of a
frozen dataclass. Nothing compares two views; the layers compare what they hold. The whole
reading, `ApiProperties`, is one NamedTuple.
"""

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final, NamedTuple

from .pointer import join

CONNECTION_PARAMETERS: Final = "/properties/connectionParameters"
PARAMETER_SETS: Final = "/properties/connectionParameterSets/values"
POLICIES: Final = "/properties/policyTemplateInstances"
CAPABILITIES: Final = "/properties/capabilities"
SCRIPT_OPERATIONS: Final = "/properties/scriptOperations"

# `@connectionParameters('name')` in a policy value or the swagger: group 1 is the function as
# written (certified connectors write "@ConnectionParameters"), group 2 the parameter's name.
CONNECTION_PARAMETER_REFERENCE: Final = re.compile(
    r"@(connectionParameters)\(\s*['\"]([^'\"]*)['\"]", re.IGNORECASE
)

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def as_object(value: Any) -> Mapping[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    if value.__class__ is dict or isinstance(value, Mapping):
        return value
    return _EMPTY


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _key(name: Any) -> str:
    # keys of parsed JSON are strings; a hand-built mapping may hold others
    return name if isinstance(name, str) else str(name)


class Item:
    """One entry of a list of names (`capabilities`, `scriptOperations`), as written."""

    __slots__ = ("pointer", "value")

    def __init__(self, value: Any, pointer: str) -> None:
        self.value = value
        self.pointer = pointer


class _Member:
    """A member of an object in the file: its key (`name`), its value as written (`node`) and
    its pointer."""

    __slots__ = ("name", "node", "pointer")

    def __init__(self, name: str, node: Any, pointer: str) -> None:
        self.name = name
        self.node = node
        self.pointer = pointer


class CustomParameter(_Member):
    """One entry of `oAuthSettings.customParameters`, normally `{"value": ...}`."""

    __slots__ = ()

    @property
    def value(self) -> str | None:
        return _text(as_object(self.node).get("value"))


class OAuthSettings:
    """The `oAuthSettings` of an oauthSetting connection parameter."""

    __slots__ = ("node", "pointer")

    def __init__(self, node: Mapping[str, Any], pointer: str) -> None:
        self.node = node
        self.pointer = pointer

    @property
    def identity_provider(self) -> str | None:
        return _text(self.node.get("identityProvider"))

    @property
    def custom_parameters(self) -> tuple[CustomParameter, ...]:
        base = join(self.pointer, "customParameters")
        return tuple(
            CustomParameter(_key(name), entry, join(base, _key(name)))
            for name, entry in as_object(self.node.get("customParameters")).items()
        )

    def scopes(self) -> dict[str, str]:
        """Each scope named, with the pointer of its entry: an entry "a b" names the two scopes
        a and b (certified connectors write both ways; the platform sends them
        space-separated). A scope named twice keeps its first entry."""
        listed = self.node.get("scopes")
        if not isinstance(listed, list):
            return {}
        found: dict[str, str] = {}
        for index, entry in enumerate(listed):
            if isinstance(entry, str):
                for scope in entry.split():
                    found.setdefault(scope, join(self.pointer, "scopes", index))
        return found


class ConnectionParameter(_Member):
    """One entry of `connectionParameters` or of a parameter set's `parameters`. `node` is the
    definition as written, which may be no object (`definition` is then empty)."""

    __slots__ = ()

    @property
    def is_object(self) -> bool:
        return self.node.__class__ is dict or isinstance(self.node, Mapping)

    @property
    def definition(self) -> Mapping[str, Any]:
        return as_object(self.node)

    @property
    def type(self) -> str | None:
        """The `type` when it is a text."""
        return _text(self.definition.get("type"))

    @property
    def is_oauth(self) -> bool:
        return (self.type or "").lower() == "oauthsetting"

    @property
    def ui_definition(self) -> Mapping[str, Any]:
        return as_object(self.definition.get("uiDefinition"))

    @property
    def constraints(self) -> Mapping[str, Any]:
        return as_object(self.ui_definition.get("constraints"))

    @property
    def required(self) -> bool:
        """Required unless the constraints say "false" (written as a string, or as a bool)."""
        value = self.constraints.get("required")
        return not (value is False or (isinstance(value, str) and value.strip().lower() == "false"))

    @property
    def has_default(self) -> bool:
        return "defaultValue" in self.definition

    def oauth_settings(self, *, any_case: bool = False) -> OAuthSettings | None:
        """The `oAuthSettings` object, None when there is none. `any_case` also reads the key
        spelled in other letter case, as some certified connectors do (the platform's reading
        of that is not documented)."""
        definition = self.definition
        keys = ["oAuthSettings"]
        if any_case:
            keys += [key for key in definition if _key(key).lower() == "oauthsettings"]
        for key in keys:
            settings = definition.get(key)
            if settings.__class__ is dict or isinstance(settings, Mapping):
                return OAuthSettings(settings, join(self.pointer, key))
        return None


def _parameters(value: Any, pointer: str) -> tuple[ConnectionParameter, ...]:
    return tuple(
        ConnectionParameter(_key(name), node, join(pointer, _key(name)))
        for name, node in as_object(value).items()
    )


class _Listed:
    """An object of a list in the file: its place in the list (`position`), the object as
    written and its pointer."""

    __slots__ = ("node", "pointer", "position")

    def __init__(self, position: int, node: Mapping[str, Any], pointer: str) -> None:
        self.position = position
        self.node = node
        self.pointer = pointer


class ParameterSet(_Listed):
    """One object of `connectionParameterSets.values`: a way to create a connection."""

    __slots__ = ("parameters",)

    def __init__(
        self,
        position: int,
        node: Mapping[str, Any],
        pointer: str,
        parameters: tuple[ConnectionParameter, ...],
    ) -> None:
        super().__init__(position, node, pointer)
        self.parameters = parameters

    @property
    def name(self) -> str | None:
        return _text(self.node.get("name"))

    @property
    def ui_definition(self) -> Mapping[str, Any]:
        return as_object(self.node.get("uiDefinition"))


class PolicyInstance(_Listed):
    """One object of `policyTemplateInstances`."""

    __slots__ = ()

    @property
    def template_id(self) -> str | None:
        return _text(self.node.get("templateId"))

    @property
    def title(self) -> str | None:
        return _text(self.node.get("title"))

    @property
    def parameters(self) -> Mapping[str, Any]:
        return as_object(self.node.get("parameters"))

    @property
    def parameters_pointer(self) -> str:
        return join(self.pointer, "parameters")


class ApiProperties(NamedTuple):
    """A parsed apiProperties.json, read. `properties` is its `properties` object (empty when
    absent or not an object), for what no view covers (iconBrandColor, publisher, ...)."""

    properties: Mapping[str, Any]
    connection_parameters: tuple[ConnectionParameter, ...]
    parameter_sets: tuple[ParameterSet, ...]
    policies: tuple[PolicyInstance, ...]
    capabilities: tuple[Item, ...]
    script_operations: tuple[Item, ...]

    def all_connection_parameters(self) -> Iterator[ConnectionParameter]:
        """The parameters of `connectionParameters`, then those of each parameter set, in file
        order; a name in several sets comes once for each."""
        yield from self.connection_parameters
        for parameter_set in self.parameter_sets:
            yield from parameter_set.parameters

    def connection_parameter_names(self) -> set[str]:
        """Every connection parameter name defined, across all parameter sets."""
        return {parameter.name for parameter in self.all_connection_parameters()}


def _objects(value: Any) -> Iterator[tuple[int, Mapping[str, Any]]]:
    if isinstance(value, list):
        for index, entry in enumerate(value):
            if entry.__class__ is dict or isinstance(entry, Mapping):
                yield index, entry


def _items(value: Any, pointer: str) -> tuple[Item, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(Item(entry, join(pointer, index)) for index, entry in enumerate(value))


def read(document: Any) -> ApiProperties:
    """The views of a parsed apiProperties.json; any JSON value (or None) is read."""
    properties = as_object(as_object(document).get("properties"))
    sets = tuple(
        ParameterSet(
            index,
            entry,
            join(PARAMETER_SETS, index),
            _parameters(entry.get("parameters"), join(PARAMETER_SETS, index, "parameters")),
        )
        for index, entry in _objects(
            as_object(properties.get("connectionParameterSets")).get("values")
        )
    )
    return ApiProperties(
        properties,
        _parameters(properties.get("connectionParameters"), CONNECTION_PARAMETERS),
        sets,
        tuple(
            PolicyInstance(index, entry, join(POLICIES, index))
            for index, entry in _objects(properties.get("policyTemplateInstances"))
        ),
        _items(properties.get("capabilities"), CAPABILITIES),
        _items(properties.get("scriptOperations"), SCRIPT_OPERATIONS),
    )
