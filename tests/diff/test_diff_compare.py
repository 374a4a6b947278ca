"""Every kind of change, breaking and non-breaking, from one small edit of a small swagger.

Each case edits the old and/or the new copy of `base_swagger` and lists exactly the changes the
comparison must report: (kind, severity, operation).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from diff_pointers import resolves

from retarus_connector.diff import properties
from retarus_connector.diff.compare import compare
from retarus_connector.diff.model import Change, ChangeKind, Severity, Side

Doc = dict[str, Any]
Edit = Callable[[Doc, Doc], object]
B, N = "breaking", "non-breaking"
# kinds both the swagger and apiProperties.json comparisons report
SHARED_KINDS = {
    ChangeKind.OAUTH_SCOPE_ADDED,
    ChangeKind.OAUTH_SCOPE_REMOVED,
    ChangeKind.DESCRIPTION_CHANGED,
}


def operation(doc: Doc, path: str, method: str) -> Doc:
    node: Doc = doc["paths"][path][method]
    return node


def parameter(doc: Doc, path: str, method: str, name: str) -> Doc:
    return next(p for p in operation(doc, path, method)["parameters"] if p["name"] == name)


def definition(doc: Doc, name: str) -> Doc:
    node: Doc = doc["definitions"][name]
    return node


def props(doc: Doc, name: str) -> Doc:
    node: Doc = definition(doc, name)["properties"]
    return node


def responses(doc: Doc, path: str, method: str) -> Doc:
    node: Doc = operation(doc, path, method)["responses"]
    return node


def add_parameter(doc: Doc, path: str, method: str, **fields: Any) -> None:
    operation(doc, path, method)["parameters"].append(fields)


def rename_path(doc: Doc, old: str, new: str) -> None:
    doc["paths"][new] = doc["paths"].pop(old)


def move_method(doc: Doc, path: str, old: str, new: str) -> None:
    doc["paths"][path][new] = doc["paths"][path].pop(old)


def rename_path_parameter(_old: Doc, new: Doc) -> None:
    rename_path(new, "/jobs/{jobId}", "/jobs/{id}")
    parameter(new, "/jobs/{id}", "get", "jobId")["name"] = "id"


def anonymous_operation(old: Doc, new: Doc) -> None:
    for doc in (old, new):
        del operation(doc, "/jobs", "get")["operationId"]
    add_parameter(new, "/jobs", "get", name="offset", **{"in": "query"}, type="integer")


def path_level_parameter(_old: Doc, new: Doc) -> None:
    get = operation(new, "/jobs/{jobId}", "get")
    job_id = parameter(new, "/jobs/{jobId}", "get", "jobId")
    get["parameters"].remove(job_id)
    new["paths"]["/jobs/{jobId}"]["parameters"] = [job_id]


def shared_parameter_type(old: Doc, new: Doc) -> None:
    for doc, kind in ((old, "integer"), (new, "string")):
        doc["parameters"] = {"Limit": {"name": "limit", "in": "query", "type": kind}}
        params = operation(doc, "/jobs", "get")["parameters"]
        params[0] = {"$ref": "#/parameters/Limit"}


def all_of_instead_of_properties(_old: Doc, new: Doc) -> None:
    new["definitions"]["Named"] = {"type": "object", "properties": {"jobId": {"type": "string"}}}
    new["definitions"]["JobResponse"] = {"allOf": [{"$ref": "#/definitions/Named"}]}


def inline_instead_of_ref(_old: Doc, new: Doc) -> None:
    response = responses(new, "/jobs", "post")["201"]
    response["schema"] = copy.deepcopy(definition(new, "JobResponse"))


def replace_success_code(_old: Doc, new: Doc) -> None:
    codes = responses(new, "/jobs", "post")
    codes["200"] = codes.pop("201")


def replace_success_code_and_type(old: Doc, new: Doc) -> None:
    replace_success_code(old, new)
    props(new, "JobResponse")["jobId"]["type"] = "integer"


def default_schema_removed(old: Doc, _new: Doc) -> None:
    responses(old, "/jobs", "post")["default"]["schema"] = {"$ref": "#/definitions/Error"}


def default_schema_removed_while_it_was_the_output(old: Doc, new: Doc) -> None:
    for doc in (old, new):
        codes = responses(doc, "/jobs", "get")
        del codes["200"]
    responses(old, "/jobs", "get")["default"]["schema"] = {"type": "string"}


def delete_deprecated(old: Doc, new: Doc) -> None:
    operation(old, "/jobs", "get")["deprecated"] = True
    del new["paths"]["/jobs"]["get"]


def headers(doc: Doc, path: str, method: str, code: str) -> Doc:
    node: Doc = responses(doc, path, method)[code]["headers"]
    return node


def shared_headers(doc: Doc) -> Doc:
    node: Doc = doc["responses"]["JobFound"]["headers"]
    return node


def api_key(doc: Doc) -> Doc:
    node: Doc = doc["securityDefinitions"]["api_key"]
    return node


def oauth(doc: Doc) -> Doc:
    node: Doc = doc["securityDefinitions"]["oauth"]
    return node


def use_oauth(old: Doc, new: Doc) -> None:
    """Both documents authenticate with OAuth 2.0 instead of the API key."""
    for doc in (old, new):
        doc["securityDefinitions"] = {
            "oauth": {
                "type": "oauth2",
                "flow": "accessCode",
                "authorizationUrl": "https://login.contoso.example/authorize",
                "tokenUrl": "https://login.contoso.example/token",
                "scopes": {"sms.send": "Send messages"},
            }
        }
        doc["security"] = [{"oauth": ["offline_access"]}]


def with_oauth(edit: Edit) -> Edit:
    def edited(old: Doc, new: Doc) -> None:
        use_oauth(old, new)
        edit(old, new)

    return edited


def rename_security_definition(new: Doc, name: str, definition: Doc) -> None:
    new["securityDefinitions"] = {name: definition}
    new["security"] = [{name: []}]


def add_basic_definition(doc: Doc) -> None:
    doc["securityDefinitions"]["basic"] = {"type": "basic"}


def require_basic_on_one_operation(_old: Doc, new: Doc) -> None:
    operation(new, "/jobs", "get")["security"] = [{"basic": []}]


def unused_definition_removed(old: Doc, _new: Doc) -> None:
    add_basic_definition(old)


def required_definition_removed(old: Doc, new: Doc) -> None:
    add_basic_definition(old)
    require_basic_on_one_operation(old, new)


def two_definitions(old: Doc, new: Doc, in_use: str | None = "api_key") -> None:
    """Both documents define the API key and basic authentication; the old one uses
    `in_use` (None: no top-level security, so the first defined)."""
    for doc in (old, new):
        add_basic_definition(doc)
        if in_use is None:
            doc.pop("security")
        else:
            doc["security"] = [{in_use: []}]


def switch_to_basic(old: Doc, new: Doc) -> None:
    two_definitions(old, new)
    new["security"] = [{"basic": []}]


def reorder_definitions(old: Doc, new: Doc) -> None:
    two_definitions(old, new, None)
    new["securityDefinitions"] = dict(reversed(list(new["securityDefinitions"].items())))


def switch_to_a_copy(old: Doc, new: Doc) -> None:
    for doc in (old, new):
        doc["securityDefinitions"]["same_key"] = {**api_key(doc), "description": "Another name."}
    new["security"] = [{"same_key": []}]


def switch_to_basic_and_list_both(old: Doc, new: Doc) -> None:
    two_definitions(old, new)
    new["security"] = [{"api_key": []}, {"basic": []}]


def without_authentication(doc: Doc) -> None:
    del doc["securityDefinitions"], doc["security"]


def success_code_replaced_without_header(old: Doc, new: Doc) -> None:
    replace_success_code(old, new)
    del headers(new, "/jobs", "post", "200")["X-Parts"]


def default_header_removed_while_it_was_the_output(old: Doc, new: Doc) -> None:
    for doc in (old, new):
        del responses(doc, "/jobs", "get")["200"]
    responses(old, "/jobs", "get")["default"]["headers"] = {"X-Total": {"type": "integer"}}


def header_on_error_response_removed(old: Doc, _new: Doc) -> None:
    responses(old, "/jobs", "post")["400"]["headers"] = {"Retry-After": {"type": "integer"}}


def constrain(node: Callable[[Doc], Doc], old: dict[str, Any], new: dict[str, Any]) -> Edit:
    """An edit that writes the constraints `old` into the old copy of a node, `new` into
    the new one."""

    def edited(old_doc: Doc, new_doc: Doc) -> None:
        node(old_doc).update(old)
        node(new_doc).update(new)

    return edited


def limit(doc: Doc) -> Doc:
    return parameter(doc, "/jobs", "get", "limit")


def text(doc: Doc) -> Doc:
    node: Doc = props(doc, "Message")["text"]
    return node


def recipients(doc: Doc) -> Doc:
    node: Doc = props(doc, "Message")["recipients"]
    return node


def destination(doc: Doc) -> Doc:
    node: Doc = recipients(doc)["items"]["properties"]["dst"]
    return node


def api_version(doc: Doc) -> Doc:
    """A query parameter added to both copies of ListJobs: internal, with a default."""
    fields = {"in": "query", "type": "string", "x-ms-visibility": "internal", "default": "2024-01"}
    params = operation(doc, "/jobs", "get")["parameters"]
    if not any(p["name"] == "api-version" for p in params):
        params.append({"name": "api-version", **fields})
    return parameter(doc, "/jobs", "get", "api-version")


def limit_bound_written_with_all_of(old: Doc, new: Doc) -> None:
    props(old, "Options")["validityMin"].update(maximum=600)
    # both members apply, so the tighter of the two limits is the one that counts
    props(new, "Options")["validityMin"] = {
        "allOf": [{"type": "integer", "format": "int32", "maximum": 1440}, {"maximum": 600}]
    }


CASES: list[tuple[str, Edit, list[tuple[str, str, str | None]]]] = [
    ("identical", lambda old, new: None, []),
    # operations
    (
        "operation deleted",
        lambda old, new: new["paths"].pop("/jobs/{jobId}"),
        [("OperationDeleted", B, "GetJob")],
    ),
    ("deprecated operation deleted", delete_deprecated, [("OperationDeleted", B, "ListJobs")]),
    (
        "operation deprecated",
        lambda old, new: operation(new, "/jobs", "get").update(deprecated=True),
        [("OperationDeprecated", N, "ListJobs")],
    ),
    (
        "operation added",
        lambda old, new: new["paths"].update(
            {"/version": {"get": {"operationId": "GetVersion", "responses": {}}}}
        ),
        [("OperationAdded", N, "GetVersion")],
    ),
    (
        "operationId changed",
        lambda old, new: operation(new, "/jobs/{jobId}", "get").update(operationId="GetJobV2"),
        [("OperationIdChanged", B, "GetJob")],
    ),
    (
        "operationId removed",
        lambda old, new: operation(new, "/jobs/{jobId}", "get").pop("operationId"),
        [("OperationIdChanged", B, "GetJob")],
    ),
    (
        "path template changed",
        lambda old, new: rename_path(new, "/jobs/{jobId}", "/job/{jobId}"),
        [("PathTemplateChanged", B, "GetJob")],
    ),
    (
        "path parameter renamed",
        rename_path_parameter,
        [
            ("PathTemplateChanged", B, "GetJob"),
            ("ParameterRemoved", B, "GetJob"),
            ("RequiredParameterAdded", B, "GetJob"),
        ],
    ),
    (
        "method changed",
        lambda old, new: move_method(new, "/jobs/{jobId}", "get", "post"),
        [("MethodChanged", B, "GetJob")],
    ),
    (
        "operation without operationId matched by route",
        anonymous_operation,
        [("OptionalParameterAdded", N, "GET /jobs")],
    ),
    # parameters
    (
        "parameter removed",
        lambda old, new: operation(new, "/jobs", "post")["parameters"].pop(1),
        [("ParameterRemoved", B, "SendSms")],
    ),
    (
        "parameter moved",
        lambda old, new: parameter(new, "/jobs", "post", "X-Trace").update({"in": "query"}),
        [("ParameterLocationChanged", B, "SendSms")],
    ),
    (
        "parameter newly required",
        lambda old, new: parameter(new, "/jobs", "get", "limit").update(required=True),
        [("ParameterNewlyRequired", B, "ListJobs")],
    ),
    (
        "parameter newly required with a default",
        lambda old, new: parameter(new, "/jobs", "get", "limit").update(required=True, default=100),
        [("ParameterNewlyRequired", N, "ListJobs")],
    ),
    (
        "required parameter added",
        lambda old, new: add_parameter(
            new, "/jobs", "get", name="since", **{"in": "query"}, type="string", required=True
        ),
        [("RequiredParameterAdded", B, "ListJobs")],
    ),
    (
        "required parameter added with a default",
        lambda old, new: add_parameter(
            new, "/jobs", "get", name="since", **{"in": "query"}, required=True, default="x"
        ),
        [("RequiredParameterAdded", N, "ListJobs")],
    ),
    (
        "optional parameter added",
        lambda old, new: add_parameter(new, "/jobs", "get", name="offset", **{"in": "query"}),
        [("OptionalParameterAdded", N, "ListJobs")],
    ),
    (
        "parameter type changed",
        lambda old, new: parameter(new, "/jobs", "get", "limit").update(type="string"),
        [("InputFieldTypeChanged", B, "ListJobs")],
    ),
    (
        "parameter format changed",
        lambda old, new: parameter(new, "/jobs", "get", "limit").update(format="int64"),
        [("InputFieldTypeFormatChanged", B, "ListJobs")],
    ),
    (
        "parameter enum value removed",
        lambda old, new: parameter(new, "/jobs/{jobId}", "get", "dc").update(enum=["de2"]),
        [("EnumValueRemoved", B, "GetJob")],
    ),
    (
        "parameter enum value added",
        lambda old, new: parameter(new, "/jobs/{jobId}", "get", "dc").update(
            enum=["de1", "de2", "de3"]
        ),
        [("EnumValueAdded", N, "GetJob")],
    ),
    (
        "parameter type changed along with a new enum",
        lambda old, new: parameter(new, "/jobs", "get", "open").update(type="string", enum=["x"]),
        [("InputFieldTypeChanged", B, "ListJobs")],
    ),
    (
        "enum added to a free input",
        lambda old, new: parameter(new, "/jobs", "post", "X-Trace").update(enum=["on", "off"]),
        [("EnumAdded", B, "SendSms")],
    ),
    (
        "shared parameter type changed",
        shared_parameter_type,
        [("InputFieldTypeChanged", B, "ListJobs")],
    ),
    ("path-level parameter is the same parameter", path_level_parameter, []),
    (
        "body parameter renamed",
        lambda old, new: operation(new, "/jobs", "post")["parameters"][0].update(name="request"),
        [],
    ),
    # input constraints: introduced or tightened is breaking, loosened or removed is not
    (
        "parameter maxLength introduced",
        lambda old, new: parameter(new, "/jobs", "post", "X-Trace").update(maxLength=64),
        [("InputConstraintAdded", B, "SendSms")],
    ),
    (
        "parameter maximum lowered",
        constrain(limit, {"maximum": 1000}, {"maximum": 100}),
        [("InputConstraintTightened", B, "ListJobs")],
    ),
    (
        "parameter maximum raised",
        constrain(limit, {"maximum": 100}, {"maximum": 1000}),
        [("InputConstraintLoosened", N, "ListJobs")],
    ),
    (
        "parameter minimum made exclusive",
        constrain(limit, {"minimum": 1}, {"minimum": 1, "exclusiveMinimum": True}),
        [("InputConstraintTightened", B, "ListJobs")],
    ),
    (
        "parameter maximum no longer exclusive",
        constrain(limit, {"maximum": 9, "exclusiveMaximum": True}, {"maximum": 9}),
        [("InputConstraintLoosened", N, "ListJobs")],
    ),
    (
        "exclusive flag without its limit",
        constrain(limit, {}, {"exclusiveMaximum": True}),
        [],
    ),
    (
        "parameter minimum removed",
        constrain(limit, {"minimum": 1}, {}),
        [("InputConstraintRemoved", N, "ListJobs")],
    ),
    # integers too large for a float (JSON has no limit); an infinite float is no limit
    (
        "parameter maximum of 400 digits lowered",
        constrain(limit, {"maximum": 10**400}, {"maximum": 10**399}),
        [("InputConstraintTightened", B, "ListJobs")],
    ),
    (
        "parameter multipleOf of 400 digits made finer",
        constrain(limit, {"multipleOf": 10**400}, {"multipleOf": 10**399}),
        [("InputConstraintLoosened", N, "ListJobs")],
    ),
    (
        "parameter maximum lowered from infinity",
        constrain(limit, {"maximum": float("inf")}, {"maximum": 100}),
        [("InputConstraintAdded", B, "ListJobs")],
    ),
    (
        "parameter multipleOf made coarser",
        constrain(limit, {"multipleOf": 5}, {"multipleOf": 10}),
        [("InputConstraintTightened", B, "ListJobs")],
    ),
    (
        "parameter multipleOf made finer",
        constrain(limit, {"multipleOf": 0.5}, {"multipleOf": 0.25}),
        [("InputConstraintLoosened", N, "ListJobs")],
    ),
    (
        "parameter multipleOf neither finer nor coarser",
        constrain(limit, {"multipleOf": 5}, {"multipleOf": 3}),
        [("InputConstraintTightened", B, "ListJobs")],
    ),
    (
        "malformed constraint values are ignored",
        constrain(limit, {"maximum": "10", "multipleOf": 0}, {"maximum": True, "multipleOf": -2}),
        [],
    ),
    (
        "the same constraints written as floats",
        constrain(limit, {"maximum": 10, "multipleOf": 2}, {"maximum": 10.0, "multipleOf": 2.0}),
        [],
    ),
    (
        "body field maxLength lowered",
        constrain(text, {"maxLength": 1600}, {"maxLength": 160}),
        [("InputConstraintTightened", B, "SendSms")],
    ),
    (
        "body field minLength lowered",
        constrain(text, {"minLength": 2}, {"minLength": 1}),
        [("InputConstraintLoosened", N, "SendSms")],
    ),
    (
        "body field minLength raised",
        constrain(text, {"minLength": 1}, {"minLength": 2}),
        [("InputConstraintTightened", B, "SendSms")],
    ),
    (
        "pattern changed in array items",
        constrain(destination, {"pattern": "^\\+?[0-9]+$"}, {"pattern": "^\\+[0-9]+$"}),
        [("InputConstraintTightened", B, "SendSms")],
    ),
    (
        "pattern widened in array items",
        constrain(destination, {"pattern": "^\\+[0-9]{1,15}$"}, {"pattern": "^\\+?[0-9]{1,20}$"}),
        [("InputConstraintLoosened", N, "SendSms")],
    ),
    (
        "pattern introduced",
        constrain(destination, {}, {"pattern": "^\\+[0-9]+$"}),
        [("InputConstraintAdded", B, "SendSms")],
    ),
    (
        "pattern removed",
        constrain(destination, {"pattern": "^\\+[0-9]+$"}, {}),
        [("InputConstraintRemoved", N, "SendSms")],
    ),
    (
        "array maxItems lowered and minItems raised",
        constrain(recipients, {"maxItems": 1000, "minItems": 1}, {"maxItems": 100, "minItems": 2}),
        [("InputConstraintTightened", B, "SendSms"), ("InputConstraintTightened", B, "SendSms")],
    ),
    (
        "array uniqueItems turned on",
        constrain(recipients, {"uniqueItems": False}, {"uniqueItems": True}),
        [("InputConstraintAdded", B, "SendSms")],
    ),
    (
        "array uniqueItems dropped",
        constrain(recipients, {"uniqueItems": True}, {}),
        [("InputConstraintRemoved", N, "SendSms")],
    ),
    (
        "internal parameter with a default: enum added is not breaking",
        constrain(api_version, {}, {"enum": ["2024-01", "2025-01"]}),
        [("EnumAdded", N, "ListJobs")],
    ),
    (
        "internal parameter with a default: pattern added is not breaking",
        constrain(api_version, {}, {"pattern": "^[0-9]{4}-[0-9]{2}$"}),
        [("InputConstraintAdded", N, "ListJobs")],
    ),
    (
        "internal parameter with a default: tightened is not breaking",
        constrain(api_version, {"maxLength": 10}, {"maxLength": 7}),
        [("InputConstraintTightened", N, "ListJobs")],
    ),
    (
        "parameter made internal while tightened: users filled it before",
        lambda old, new: (
            api_version(old).update(maxLength=10, **{"x-ms-visibility": "advanced"}),
            api_version(new).update(maxLength=7),
        ),
        [("InputConstraintTightened", B, "ListJobs")],
    ),
    (
        "internal parameter without a default: tightened is breaking",
        lambda old, new: (
            api_version(old).update(maxLength=10),
            api_version(new).update(maxLength=7),
            api_version(new).pop("default"),
        ),
        [("InputConstraintTightened", B, "ListJobs")],
    ),
    (
        "tightest of the allOf members counts",
        limit_bound_written_with_all_of,
        [],
    ),
    (
        "parameter type changed along with a constraint",
        constrain(limit, {"maximum": 10}, {"type": "string", "maxLength": 2}),
        [("InputFieldTypeChanged", B, "ListJobs")],
    ),
    (
        "output constraints are not compared",
        lambda old, new: props(new, "JobReport")["jobId"].update(maxLength=8, pattern="^J"),
        [],
    ),
    # body fields
    (
        "body field type changed",
        lambda old, new: props(new, "Options")["validityMin"].update(type="string"),
        [("InputFieldTypeChanged", B, "SendSms")],
    ),
    (
        "body field format changed",
        lambda old, new: props(new, "Options")["jobPeriod"].update(format="date"),
        [("InputFieldTypeFormatChanged", B, "SendSms")],
    ),
    (
        "body field in array items changed type",
        lambda old, new: props(new, "Message")["recipients"]["items"]["properties"]["dst"].update(
            type="integer"
        ),
        [("InputFieldTypeChanged", B, "SendSms")],
    ),
    (
        "body enum value removed",
        lambda old, new: props(new, "Options")["encoding"].update(enum=["STANDARD"]),
        [("EnumValueRemoved", B, "SendSms")],
    ),
    (
        "body field removed",
        lambda old, new: props(new, "Message")["recipients"]["items"]["properties"].pop(
            "customerRef"
        ),
        [("InputFieldRemoved", B, "SendSms")],
    ),
    (
        "body field newly required",
        lambda old, new: definition(new, "Options").update(required=["encoding"]),
        [("InputFieldNewlyRequired", B, "SendSms")],
    ),
    (
        "required body field added",
        lambda old, new: (
            props(new, "Options").update(qos={"type": "string"}),
            definition(new, "Options").update(required=["qos"]),
        ),
        [("RequiredInputFieldAdded", B, "SendSms")],
    ),
    (
        "required body field added with a default",
        lambda old, new: (
            props(new, "Options").update(qos={"type": "string", "default": "NORMAL"}),
            definition(new, "Options").update(required=["qos"]),
        ),
        [("RequiredInputFieldAdded", N, "SendSms")],
    ),
    (
        "optional body field added",
        lambda old, new: props(new, "Options").update(qos={"type": "string"}),
        [("OptionalInputFieldAdded", N, "SendSms")],
    ),
    (
        "body schema written with allOf",
        lambda old, new: new["definitions"].update(
            Options={"allOf": [copy.deepcopy(definition(new, "Options"))]}
        ),
        [],
    ),
    # outputs
    (
        "output field type changed",
        lambda old, new: props(new, "JobResponse")["jobId"].update(type="integer"),
        [("OutputFieldTypeChanged", B, "SendSms")],
    ),
    (
        "output field format removed",
        lambda old, new: props(new, "JobReport")["created"].pop("format"),
        [("OutputFieldTypeFormatChanged", B, "GetJob")],
    ),
    (
        "output field removed",
        lambda old, new: props(new, "JobReport").pop("created"),
        [("OutputFieldRemoved", B, "GetJob")],
    ),
    (
        "output field added",
        lambda old, new: props(new, "JobReport").update(finished={"type": "string"}),
        [("OutputFieldAdded", N, "GetJob")],
    ),
    (
        "output field changed inside a recursive definition",
        lambda old, new: props(new, "RecipientReport")["status"].update(type="integer"),
        [("OutputFieldTypeChanged", B, "GetJob")],
    ),
    (
        "output array item type changed",
        lambda old, new: responses(new, "/jobs", "get")["200"]["schema"]["items"].update(
            type="integer"
        ),
        [("OutputFieldTypeChanged", B, "ListJobs")],
    ),
    (
        "output enum changes are not reported",
        lambda old, new: props(new, "RecipientReport")["status"].update(enum=["OK"]),
        [],
    ),
    ("output written with allOf", all_of_instead_of_properties, []),
    ("output inline instead of $ref", inline_instead_of_ref, []),
    (
        "shared definition changed for two operations",
        lambda old, new: props(new, "Error")["code"].update(type="string"),
        [("OutputFieldTypeChanged", B, "SendSms"), ("OutputFieldTypeChanged", B, "GetJob")],
    ),
    # responses
    (
        "response schema removed",
        lambda old, new: responses(new, "/jobs", "post")["400"].pop("schema"),
        [("ResponseSchemaRemoved", B, "SendSms")],
    ),
    (
        "schema removed from a default response that was not the output",
        default_schema_removed,
        [("ResponseSchemaRemoved", N, "SendSms")],
    ),
    (
        "schema removed from a default response that was the output",
        default_schema_removed_while_it_was_the_output,
        [("ResponseSchemaRemoved", B, "ListJobs")],
    ),
    (
        "success response removed",
        lambda old, new: responses(new, "/jobs", "get").pop("200"),
        [("SuccessResponseRemoved", B, "ListJobs")],
    ),
    (
        "success status changed",
        replace_success_code,
        [("SuccessStatusChanged", N, "SendSms")],
    ),
    (
        "success status changed with another output type",
        replace_success_code_and_type,
        [("SuccessStatusChanged", N, "SendSms"), ("OutputFieldTypeChanged", B, "SendSms")],
    ),
    (
        "error response removed",
        lambda old, new: responses(new, "/jobs", "post").pop("400"),
        [("ResponseRemoved", N, "SendSms")],
    ),
    (
        "response added",
        lambda old, new: responses(new, "/jobs", "get").update(
            {"400": {"description": "Bad request."}}
        ),
        [("ResponseAdded", N, "ListJobs")],
    ),
    (
        "response schema added",
        lambda old, new: responses(new, "/jobs", "post")["default"].update(
            schema={"type": "object"}
        ),
        [("ResponseSchemaAdded", N, "SendSms")],
    ),
    # response headers
    (
        "response header removed",
        lambda old, new: headers(new, "/jobs", "post", "201").pop("Location"),
        [("ResponseHeaderRemoved", B, "SendSms")],
    ),
    (
        "response header added",
        lambda old, new: headers(new, "/jobs", "post", "201").update(
            {"X-Cost": {"type": "number"}}
        ),
        [("ResponseHeaderAdded", N, "SendSms")],
    ),
    (
        "response header type changed",
        lambda old, new: headers(new, "/jobs", "post", "201")["X-Parts"].update(type="string"),
        [("ResponseHeaderTypeChanged", B, "SendSms")],
    ),
    (
        "response header format changed",
        lambda old, new: headers(new, "/jobs", "post", "201")["X-Parts"].update(format="int64"),
        [("ResponseHeaderTypeFormatChanged", B, "SendSms")],
    ),
    (
        "header items format changed",
        lambda old, new: shared_headers(new)["X-Recipients"]["items"].update(format="uuid"),
        [("ResponseHeaderTypeFormatChanged", B, "GetJob")],
    ),
    # header constraints follow the output fields': enums and patterns are not reported
    (
        "header enum value removed",
        lambda old, new: (
            headers(old, "/jobs", "post", "201")["X-Parts"].update(enum=[1, 2]),
            headers(new, "/jobs", "post", "201")["X-Parts"].update(enum=[1]),
        ),
        [],
    ),
    (
        "header enum value added",
        lambda old, new: (
            headers(old, "/jobs", "post", "201")["X-Parts"].update(enum=[1]),
            headers(new, "/jobs", "post", "201")["X-Parts"].update(enum=[1, 2]),
        ),
        [],
    ),
    (
        "header enum added",
        lambda old, new: shared_headers(new)["X-Rate-Limit"].update(enum=[100, 1000]),
        [],
    ),
    (
        "header pattern added",
        lambda old, new: headers(new, "/jobs", "post", "201")["Location"].update(
            pattern="^https://"
        ),
        [],
    ),
    (
        "output field pattern added",
        lambda old, new: props(new, "JobReport")["jobId"].update(pattern="^[0-9A-Z]+$"),
        [],
    ),
    (
        "header of a shared #/responses response changed type",
        lambda old, new: shared_headers(new)["X-Rate-Limit"].update(type="string"),
        [("ResponseHeaderTypeChanged", B, "GetJob")],
    ),
    (
        "header items changed type",
        lambda old, new: shared_headers(new)["X-Recipients"]["items"].update(type="integer"),
        [("ResponseHeaderTypeChanged", B, "GetJob")],
    ),
    (
        "header removed from a shared #/responses response",
        lambda old, new: shared_headers(new).pop("X-Rate-Limit"),
        [("ResponseHeaderRemoved", B, "GetJob")],
    ),
    (
        "header name changed only in letter case",
        lambda old, new: headers(new, "/jobs", "post", "201").update(
            location=headers(new, "/jobs", "post", "201").pop("Location")
        ),
        [],
    ),
    (
        "header description changed",
        lambda old, new: headers(new, "/jobs", "post", "201")["Location"].update(
            description="Where the job is."
        ),
        [("DescriptionChanged", N, "SendSms")],
    ),
    (
        "success status changed and the new one lacks a header",
        success_code_replaced_without_header,
        [("SuccessStatusChanged", N, "SendSms"), ("ResponseHeaderRemoved", B, "SendSms")],
    ),
    ("header of an error response is not an output", header_on_error_response_removed, []),
    (
        "header removed from the default response that provides the outputs",
        default_header_removed_while_it_was_the_output,
        [("ResponseHeaderRemoved", B, "ListJobs")],
    ),
    # where requests go
    (
        "host changed",
        lambda old, new: new.update(host="sms.fabrikam.example"),
        [("HostChanged", N, None)],
    ),
    ("host removed", lambda old, new: new.pop("host"), [("HostChanged", N, None)]),
    (
        "host changed only in letter case",
        lambda old, new: new.update(host="SMS.contoso.example"),
        [],
    ),
    (
        "basePath changed",
        lambda old, new: new.update(basePath="/v2"),
        [("BasePathChanged", N, None)],
    ),
    (
        "absent basePath is /",
        lambda old, new: (old.pop("basePath"), new.update(basePath="/")),
        [],
    ),
    (
        "schemes changed",
        lambda old, new: new.update(schemes=["http", "https"]),
        [("SchemesChanged", N, None)],
    ),
    # authentication
    (
        "authentication type changed",
        lambda old, new: rename_security_definition(new, "api_key", {"type": "basic"}),
        [("SecurityTypeChanged", B, None)],
    ),
    (
        "authentication type changed along with the definition's name",
        lambda old, new: rename_security_definition(new, "basic_auth", {"type": "basic"}),
        [("SecurityTypeChanged", B, None)],
    ),
    (
        "API key to OAuth",
        lambda old, new: use_oauth(copy.deepcopy(old), new),
        [("SecurityTypeChanged", B, None)],
    ),
    (
        "definition renamed only",
        lambda old, new: rename_security_definition(new, "key", copy.deepcopy(api_key(new))),
        [],
    ),
    (
        "API key name changed",
        lambda old, new: api_key(new).update(name="X-Key"),
        [("ApiKeyNameChanged", B, None)],
    ),
    (
        "API key header name changed only in letter case",
        lambda old, new: api_key(new).update(name="x-api-key"),
        [],
    ),
    (
        "API key query parameter name changed in letter case",
        lambda old, new: (
            api_key(old).update({"in": "query", "name": "key"}),
            api_key(new).update({"in": "query", "name": "Key"}),
        ),
        [("ApiKeyNameChanged", B, None)],
    ),
    (
        "API key location changed",
        lambda old, new: api_key(new).update({"in": "query"}),
        [("ApiKeyLocationChanged", B, None)],
    ),
    (
        "security definition description added",
        lambda old, new: api_key(new).update(description="The key from the portal."),
        [("DescriptionChanged", N, None)],
    ),
    (
        "OAuth flow changed",
        with_oauth(lambda old, new: oauth(new).update(flow="implicit")),
        [("OAuthFlowChanged", B, None)],
    ),
    (
        "OAuth token URL changed",
        with_oauth(lambda old, new: oauth(new).update(tokenUrl="https://id.contoso.example/t")),
        [("OAuthTokenUrlChanged", B, None)],
    ),
    (
        "OAuth token URL written with its default port and another letter case",
        with_oauth(
            lambda old, new: oauth(new).update(tokenUrl="HTTPS://Login.Contoso.Example:443/token")
        ),
        [],
    ),
    (
        "OAuth authorization URL changed",
        with_oauth(
            lambda old, new: oauth(new).update(authorizationUrl="https://id.contoso.example/a")
        ),
        [("OAuthAuthorizationUrlChanged", N, None)],
    ),
    (
        "OAuth scope added to the definition",
        with_oauth(lambda old, new: oauth(new)["scopes"].update({"sms.read": "Read"})),
        [("OAuthScopeAdded", B, None)],
    ),
    (
        "OAuth scope added to the requirement",
        with_oauth(lambda old, new: new.update(security=[{"oauth": ["offline_access openid"]}])),
        [("OAuthScopeAdded", B, None)],
    ),
    (
        "OAuth scopes written as one space-separated string",
        with_oauth(
            lambda old, new: (
                new.update(security=[{"oauth": []}]),
                oauth(new).update(scopes={"sms.send offline_access": "Send, stay signed in"}),
            )
        ),
        [],
    ),
    (
        "OAuth scope removed",
        with_oauth(lambda old, new: new.update(security=[{"oauth": []}])),
        [("OAuthScopeRemoved", N, None)],
    ),
    (
        "security definition added but not required",
        lambda old, new: add_basic_definition(new),
        [("SecurityDefinitionAdded", N, None)],
    ),
    (
        "security definition added and required by an operation",
        lambda old, new: (add_basic_definition(new), require_basic_on_one_operation(old, new)),
        [("SecurityDefinitionAdded", B, None)],
    ),
    (
        "authentication added to a connector that had none",
        lambda old, new: without_authentication(old),
        [("SecurityDefinitionAdded", B, None)],
    ),
    (
        "unused security definition removed",
        unused_definition_removed,
        [("SecurityDefinitionRemoved", N, None)],
    ),
    (
        "security definition removed while a requirement still names it",
        required_definition_removed,
        [("SecurityDefinitionRemoved", B, None)],
    ),
    (
        "security switches to another definition both versions have",
        switch_to_basic,
        [("SecurityDefinitionInUseChanged", B, None)],
    ),
    (
        "definitions reordered without a top-level security",
        reorder_definitions,
        [("SecurityDefinitionInUseChanged", B, None)],
    ),
    (
        "security switches to a definition that differs only in name and texts",
        switch_to_a_copy,
        [],
    ),
    (
        "security lists another definition after the one in use",
        switch_to_basic_and_list_both,
        [],
    ),
    (
        "authentication removed",
        lambda old, new: without_authentication(new),
        [("SecurityDefinitionRemoved", B, None)],
    ),
    # documentation
    (
        "operation description changed",
        lambda old, new: operation(new, "/jobs", "post").update(description="Sends messages."),
        [("DescriptionChanged", N, "SendSms")],
    ),
    (
        "parameter summary added",
        lambda old, new: parameter(new, "/jobs", "get", "limit").update({"x-ms-summary": "Max"}),
        [("DescriptionChanged", N, "ListJobs")],
    ),
    (
        "field description changed",
        lambda old, new: props(new, "Message")["text"].update(description="What to send."),
        [("DescriptionChanged", N, "SendSms")],
    ),
]


def _changes(base: Doc, edit: Edit) -> list[Change]:
    old, new = copy.deepcopy(base), copy.deepcopy(base)
    edit(old, new)
    changes = list(compare(old, new))
    for change in changes:
        # every pointer names something that exists in the document its side names
        assert resolves(old if change.side is Side.OLD else new, change.pointer), change
    return changes


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reports_exactly_the_expected_changes(
    base_swagger: Doc, edit: Edit, expected: list[tuple[str, str, str | None]]
) -> None:
    found = [(c.kind.value, c.severity.value, c.operation_id) for c in _changes(base_swagger, edit)]
    # repr sorts the connector's changes (operation None) among the operations' ones
    assert sorted(found, key=repr) == sorted(expected, key=repr)


def test_every_kind_of_change_has_a_case(base_swagger: Doc) -> None:
    """Every kind is reached here, except those only apiProperties.json has (their cases are
    in test_diff_properties.py)."""
    reached = {c.kind for _, edit, _ in CASES for c in _changes(base_swagger, edit)}
    assert reached == set(ChangeKind) - (properties.KINDS - SHARED_KINDS)


def test_type_change_points_at_the_definition_in_the_new_document(base_swagger: Doc) -> None:
    (change,) = _changes(
        base_swagger, lambda old, new: props(new, "JobResponse")["jobId"].update(type="integer")
    )
    assert change.side is Side.NEW
    assert change.pointer == "/definitions/JobResponse/properties/jobId/type"
    assert "'jobId' of response 201" in change.message
    assert "string is now integer" in change.message


def test_removal_points_into_the_old_document(base_swagger: Doc) -> None:
    (change,) = _changes(base_swagger, lambda old, new: new["paths"].pop("/jobs/{jobId}"))
    assert change.side is Side.OLD
    assert change.pointer == "/paths/~1jobs~1{jobId}/get"
    assert change.breaking


def test_nested_field_is_named_by_its_path(base_swagger: Doc) -> None:
    (change,) = _changes(
        base_swagger,
        lambda old, new: props(new, "Message")["recipients"]["items"]["properties"].pop("dst"),
    )
    assert "'messages[].recipients[].dst'" in change.message
    assert change.pointer == "/definitions/Message/properties/recipients/items/properties/dst"


def test_tightened_constraint_names_the_field_the_keyword_and_both_values(
    base_swagger: Doc,
) -> None:
    (change,) = _changes(base_swagger, constrain(text, {"maxLength": 1600}, {"maxLength": 160}))
    assert change.message.startswith(
        "The constraint maxLength has been tightened for the input field"
        " 'messages[].text' of the body parameter 'body': 1600 is now 160."
    )
    assert change.pointer == "/definitions/Message/properties/text/maxLength"


def test_exclusive_limits_and_patterns_are_shown(base_swagger: Doc) -> None:
    (exclusive,) = _changes(
        base_swagger, constrain(limit, {"minimum": 1}, {"minimum": 1, "exclusiveMinimum": True})
    )
    assert "the parameter 'limit' (query): 1 is now 1 (exclusive)." in exclusive.message
    (pattern,) = _changes(
        base_swagger, constrain(destination, {"pattern": "^a"}, {"pattern": "^b"})
    )
    assert '"^a" is now "^b"' in pattern.message
    assert "unless it is proved to accept every value the old one accepted" in pattern.message


def test_removed_constraint_points_into_the_old_document(base_swagger: Doc) -> None:
    (change,) = _changes(base_swagger, constrain(limit, {"minimum": 1}, {}))
    assert change.side is Side.OLD
    assert change.pointer == "/paths/~1jobs/get/parameters/0/minimum"
    assert change.message == (
        "The constraint minimum 1 has been removed from the parameter 'limit' (query)."
    )


def test_internal_input_says_why_tightening_does_not_break(base_swagger: Doc) -> None:
    (change,) = _changes(base_swagger, constrain(api_version, {"pattern": "^2"}, {"pattern": "^3"}))
    assert "internal (x-ms-visibility) with a default" in change.message
    assert "Existing flows may send" not in change.message


@pytest.mark.parametrize(
    ("edit", "pointer"),
    [(switch_to_basic, "/security"), (reorder_definitions, "/securityDefinitions/basic")],
)
def test_definition_in_use_names_both_and_points_at_what_chose_it(
    base_swagger: Doc, edit: Edit, pointer: str
) -> None:
    (change,) = _changes(base_swagger, edit)
    assert change.side is Side.NEW
    assert change.pointer == pointer
    assert "'basic' (basic) instead of 'api_key' (apikey)" in change.message


def test_deleted_deprecated_operation_says_to_keep_it(base_swagger: Doc) -> None:
    (change,) = _changes(base_swagger, delete_deprecated)
    assert "deprecated" in change.message
    assert change.severity is Severity.BREAKING


def test_operation_id_first_then_route(base_swagger: Doc) -> None:
    """Two operations that swap paths keep their identity through their operationIds."""

    def swap(_old: Doc, new: Doc) -> None:
        post = new["paths"]["/jobs"].pop("post")
        new["paths"]["/jobs/{jobId}"]["post"] = post

    changes = _changes(base_swagger, swap)
    assert [(c.kind, c.operation_id) for c in changes] == [
        (ChangeKind.PATH_TEMPLATE_CHANGED, "SendSms")
    ]


def test_output_is_deterministic(base_swagger: Doc) -> None:
    def many(old: Doc, new: Doc) -> None:
        new["paths"].pop("/jobs/{jobId}")
        props(new, "Options")["validityMin"]["type"] = "string"
        parameter(new, "/jobs", "get", "limit")["required"] = True

    first = _changes(base_swagger, many)
    assert len(first) == 3
    assert first == _changes(base_swagger, many)


def test_self_referencing_definitions_terminate() -> None:
    def swagger(leaf_type: str) -> Doc:
        return {
            "swagger": "2.0",
            "paths": {
                "/tree": {
                    "get": {
                        "operationId": "GetTree",
                        "responses": {"200": {"schema": {"$ref": "#/definitions/Node"}}},
                    }
                }
            },
            "definitions": {
                "Node": {
                    "properties": {
                        "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}},
                        "parent": {"$ref": "#/definitions/Node"},
                        "label": {"type": leaf_type},
                    }
                },
                "Loop": {"$ref": "#/definitions/Loop"},
            },
        }

    changes = list(compare(swagger("string"), swagger("integer")))
    assert [c.kind for c in changes] == [ChangeKind.OUTPUT_TYPE_CHANGED]


@pytest.mark.parametrize(
    "link",
    [
        lambda target: {"allOf": [{"$ref": target}]},
        lambda target: {"type": "array", "items": {"$ref": target}},
    ],
    ids=["allOf", "items"],
)
def test_long_chains_of_definitions_terminate(link: Callable[[str], Doc]) -> None:
    """Thousands of distinct definitions, each reaching the next, in a flat (shallow) file."""

    def swagger(leaf_type: str) -> Doc:
        chain = {f"D{i}": link(f"#/definitions/D{i + 1}") for i in range(3000)}
        schema = {"$ref": "#/definitions/D0"}
        return {
            "swagger": "2.0",
            "paths": {
                "/a": {
                    "post": {
                        "operationId": "Post",
                        "parameters": [{"name": "body", "in": "body", "schema": schema}],
                        "responses": {"200": {"schema": schema}},
                    }
                }
            },
            "definitions": {**chain, "D3000": {"type": leaf_type}},
        }

    assert all(change.message for change in compare(swagger("string"), swagger("integer")))


@pytest.mark.parametrize(
    "broken",
    [
        None,
        [],
        "text",
        {"paths": []},
        {"paths": {"/a": []}},
        {"paths": {"/a": {"get": None, "post": []}}},
        {"paths": {"/a": {"get": {"operationId": 7, "parameters": {"x": 1}, "responses": []}}}},
        {"paths": {"/a": {"get": {"parameters": [{"$ref": "#/parameters/Missing"}, 3]}}}},
        {"paths": {"/a": {"get": {"responses": {"200": {"$ref": "other.json#/x"}}}}}},
        {
            "paths": {
                "/a": {"get": {"responses": {"200": {"schema": {"$ref": "#/definitions/A"}}}}}
            },
            "definitions": {"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"}},
        },
        {
            "paths": {
                "/a": {
                    "get": {
                        "responses": {
                            "200": {
                                "schema": {
                                    "type": ["string", "null"],
                                    "properties": [],
                                    "required": "x",
                                    "enum": "x",
                                    "allOf": [{"$ref": "#/nowhere"}, 5],
                                    "items": [],
                                }
                            }
                        }
                    }
                }
            }
        },
    ],
)
def test_malformed_documents_never_crash(base_swagger: Doc, broken: Any) -> None:
    for old, new in ((broken, base_swagger), (base_swagger, broken), (broken, broken)):
        for change in compare(old, new):
            assert change.message


@pytest.mark.parametrize(
    ("schemes", "effect"),
    [
        (["http", "https"], "requests now use http instead of https"),
        (["https", "wss"], "the first scheme, https, as before"),
    ],
)
def test_schemes_change_says_whether_the_gateway_url_changed(
    base_swagger: Doc, schemes: list[str], effect: str
) -> None:
    (change,) = _changes(base_swagger, lambda old, new: new.update(schemes=schemes))
    assert change.kind is ChangeKind.SCHEMES_CHANGED
    assert change.operation_id is None
    assert effect in change.message


@pytest.mark.parametrize(
    ("key", "url"),
    [
        ("tokenUrl", "https://app:hunter2@login.contoso.example/token"),
        ("authorizationUrl", "https://login.contoso.example/authorize?client_secret=hunter2"),
    ],
)
def test_oauth_urls_are_shown_without_credentials(base_swagger: Doc, key: str, url: str) -> None:
    def edit(old: Doc, new: Doc) -> None:
        use_oauth(old, new)
        oauth(old)[key] = url
        oauth(new)[key] = url.replace("contoso.example", "contoso.test")

    (change,) = _changes(base_swagger, edit)
    assert "hunter2" not in change.message
    assert "login.contoso.example" in change.message
    assert "login.contoso.test" in change.message


def test_a_host_is_shown_without_credentials(base_swagger: Doc) -> None:
    def edit(old: Doc, new: Doc) -> None:
        old["host"] = "admin:hunter2@api.contoso.example"
        new["host"] = "api.contoso.test"

    (change,) = _changes(base_swagger, edit)
    assert change.kind is ChangeKind.HOST_CHANGED
    assert "hunter2" not in change.message
    assert "'api.contoso.example' is now 'api.contoso.test'" in change.message


def test_connector_changes_come_before_the_operations(base_swagger: Doc) -> None:
    def both(_old: Doc, new: Doc) -> None:
        new["paths"].pop("/jobs/{jobId}")
        api_key(new).update({"in": "query"})

    assert [c.kind for c in _changes(base_swagger, both)] == [
        ChangeKind.API_KEY_LOCATION_CHANGED,
        ChangeKind.OPERATION_DELETED,
    ]


def test_an_added_enum_speaks_as_microsofts_validator(base_swagger: Doc) -> None:
    (change,) = _changes(
        base_swagger,
        lambda old, new: parameter(new, "/jobs", "post", "X-Trace").update(enum=["on", "off"]),
    )
    assert change.breaking
    assert "The list of enum values has been added to" in change.message
    assert 'limited to "off", "on"' in change.message
    assert "no longer accepts" in change.message
