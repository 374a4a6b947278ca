"""Runs connector operations locally, the way the Power Platform gateway does, for any
connector package: inputs checked against the swagger, the request built from it and from the
policy templates in apiProperties.json, the response checked against the schema for its status.

See ARCHITECTURE.md. The Python API is `Connector.load(folder).operation(id).call(...)`.
"""

from .connector import Connector, Operation
from .custom_code import CustomCode, CustomCodeError, ScriptAnswer, ScriptRequest
from .errors import (
    CallError,
    ConnectionParameterError,
    HeaderError,
    InputError,
    InputProblem,
    PackageError,
    PolicyError,
    TransportError,
    UnknownOperationError,
)
from .execute import CallResult
from .masking import Mask
from .request import Notice, PreparedCall, connection_value_problem
from .responses import ResponseProblem

__all__ = [
    "CallError",
    "CallResult",
    "ConnectionParameterError",
    "Connector",
    "CustomCode",
    "CustomCodeError",
    "HeaderError",
    "InputError",
    "InputProblem",
    "Mask",
    "Notice",
    "Operation",
    "PackageError",
    "PolicyError",
    "PreparedCall",
    "ResponseProblem",
    "ScriptAnswer",
    "ScriptRequest",
    "TransportError",
    "UnknownOperationError",
    "connection_value_problem",
]
