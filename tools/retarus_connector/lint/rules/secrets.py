"""Secrets committed in the package: keys, tokens and passwords written as literal values.

A connector package is published openly (Microsoft's repository, a solution, a zip handed
around), so every value in it is public. The places a real credential ends up are few: the
values of policy templates (a `setheader` that adds an API key), connection parameter
defaults, swagger defaults and examples, and header values. This family looks there, and in
script.csx, for the shapes of well-known keys and, where the name says the value is a secret,
for random-looking strings. A finding never repeats the value.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from retarus_connector.lint.model import FileKind, Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._index import VALUE_KEYS
from retarus_connector.lint.rules._properties import api_properties
from retarus_connector.lint.rules._walk import (
    as_dict,
    index,
    join,
    parameter_definitions,
    text,
)

# well-known key shapes: (what it is, pattern); each is specific enough to stand alone. They
# are searched only in a value that holds one of their literal parts (_MARKERS, below), which
# few do, so they stay text: `re` compiles (and keeps) one the first time it is needed, and
# a run over packages without keys never pays for compiling them.
KEY_SHAPES: tuple[tuple[str, str], ...] = (
    ("an AWS access key id", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("a GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{40,})"),
    ("a Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("a Google API key", r"\bAIza[0-9A-Za-z_\-]{35}"),
    ("a Stripe secret key", r"\b[sr]k_live_[0-9A-Za-z]{20,}"),
    ("a SendGrid API key", r"\bSG\.[\w-]{22}\.[\w-]{43}"),
    ("an OpenAI API key", r"\bsk-(?:proj-)?[A-Za-z0-9_-]{40,}"),
    ("a JSON Web Token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"),
    ("an Azure storage account key", r"AccountKey=[A-Za-z0-9+/]{86}=="),
    ("a shared access signature", r"[?&]sig=[A-Za-z0-9%+/]{30,}"),
    ("an Azure Functions key", r"[?&]code=[A-Za-z0-9_\-/+]{40,}={0,2}"),
    (
        "a private key",
        r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY",
    ),
)
# names that say a value is a credential (parameters, properties, headers, policy values)
_SECRET_NAME = (
    r"(?i)(?:api[-_ ]?key|apikey|secret|password|passwd|pwd|token|auth|credential|"
    r"subscription[-_ ]?key|access[-_ ]?key|private[-_ ]?key|signature|functions[-_ ]?key|"
    r"^code$|^key$|^sig$)"
)
# The patterns below judge a value found under a secret's name, which few are: text again,
# compiled by `re` when first needed.
# what a placeholder says about itself
_PLACEHOLDER = (
    r"(?i)(?:your|example|sample|placeholder|dummy|fake|replace|insert|enter|change|xxx|\*\*\*|"
    r"\.\.\.|<|>|\{|\}|\[|\]|@|\$|%|\(|\s|^string$|^null$|^none$|^true$|^false$|test|demo)"
)
_DUMMY_PASSWORDS = frozenset({"password", "pass", "passwd", "pwd", "secret", "changeme", "123456"})
_TOKEN = r"^[A-Za-z0-9+/=_\-.~:]+$"
_UUID = r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"
_SCHEME_PREFIX = r"(?i)^(?:Bearer|Basic|Token|SharedAccessSignature|key)[ =]+"
# bits per character from which a value under a secret's name counts as random, for values
# of any letters and digits and for hexadecimal ones (at most 4 bits per character: a random
# 32-digit hex key has about 3.5); measured on the 1,014 connectors of
# microsoft/PowerPlatformConnectors (see the rule's documentation)
ENTROPY_THRESHOLD = 3.5
HEX_ENTROPY_THRESHOLD = 3.0
_HEX = r"^[0-9a-fA-F]+$"
MIN_SECRET_LENGTH = 16
MAX_SECRET_LENGTH = 512
# policy template parameters that name what the value is set on
_NAME_PARAMETERS = ("x-ms-apimTemplateParameter.name",)
_VALUE_PARAMETER = "x-ms-apimTemplateParameter.value"


def entropy(value: str) -> float:
    """Shannon entropy of the characters of `value`, in bits per character."""
    counts = Counter(value)
    size = len(value)
    return -sum(count / size * math.log2(count / size) for count in counts.values())


# a literal part of each shape: a value holding none of them cannot match any shape, and one
# search for the parts is many times faster than a search with each pattern
_MARKERS = re.compile(
    r"AKIA|ASIA|gh[pousr]_|github_pat_|xox|AIza|k_live_|SG\.|sk-|eyJ|AccountKey=|sig=|code=|"
    r"PRIVATE KEY"
)


def key_shape(value: str) -> str | None:
    """What well-known kind of key `value` contains, or None; the documentation's own
    examples ("AKIAIOSFODNN7EXAMPLE") are not keys."""
    if _MARKERS.search(value) is None:
        return None
    for label, pattern in KEY_SHAPES:
        match = re.search(pattern, value)
        if match and "example" not in match.group(0).lower():
            return label
    return None


_WORD = r"[A-Z]?[a-z]{3,}"


def word_like(value: str) -> bool:
    """Whether most of `value` is made of words ("Top100kCommonPasswords"), as names and
    labels are and random keys are not."""
    return sum(map(len, re.findall(_WORD, value))) >= 0.6 * len(value)


def _basic_credentials(value: str) -> bool | None:
    """For an HTTP Basic authorization whose value decodes to "user:password", whether the
    pair is real (not a placeholder); None for any other value."""
    match = re.match(r"^Basic\s+([A-Za-z0-9+/=]{8,})$", value.strip())
    if match is None:
        return None
    import base64  # only a value under a secret's name that starts with "Basic " gets here
    import binascii

    try:
        decoded = base64.b64decode(match.group(1), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    user, colon, password = decoded.partition(":")
    if not colon:
        return None
    if password.lower() in _DUMMY_PASSWORDS:
        return False
    return bool(user and password and not re.search(_PLACEHOLDER, decoded))


def random_secret(value: str) -> bool:
    """Whether `value`, found under a secret's name, looks like a real random credential: one
    token of 16 to 512 characters with letters and digits, random enough, and no placeholder."""
    basic = _basic_credentials(value)
    if basic is not None:
        return basic
    candidate = re.sub(_SCHEME_PREFIX, "", value.strip())
    if not MIN_SECRET_LENGTH <= len(candidate) <= MAX_SECRET_LENGTH:
        return False
    if (
        not re.match(_TOKEN, candidate)
        or re.match(_UUID, candidate)
        or re.search(_PLACEHOLDER, candidate)
    ):
        return False
    if candidate.startswith(("http:", "https:")) or "//" in candidate:
        return False
    if not (re.search(r"[0-9]", candidate) and re.search(r"[A-Za-z]", candidate)):
        return False
    if word_like(candidate):
        return False
    threshold = HEX_ENTROPY_THRESHOLD if re.match(_HEX, candidate) else ENTROPY_THRESHOLD
    return entropy(candidate) >= threshold


def _verdict(value: str, name: str | None) -> str | None:
    """Why `value` (under `name`, when known) looks like a committed secret, or None. The
    cheap tests go first: most long values are sentences, which no test accepts."""
    shape = key_shape(value)
    if shape is not None:
        return shape
    if name is None or (" " in value.strip() and not value.startswith(("Basic ", "Bearer "))):
        return None
    if re.search(_SECRET_NAME, name) and random_secret(value):
        return f"a literal credential for {name!r}"
    return None


# no key shape and no random secret is shorter than this, so shorter strings are not judged
_SHORTEST = MIN_SECRET_LENGTH - 1
Place = Callable[[], str]


def _below(base: Place, path: tuple[str | int, ...]) -> str:
    return join(base(), *path)


def _strings(value: Any, base: Place) -> Iterator[tuple[str, Place]]:
    """Every string long enough to be a secret inside a JSON value, with its pointer built
    only when asked for (most values are short, and most are no secret)."""
    if value.__class__ is str:
        if len(value) >= _SHORTEST:
            yield value, base
        return
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if node.__class__ is str:
            if len(node) >= _SHORTEST:
                yield node, partial(_below, base, path)
        elif isinstance(node, dict):
            stack.extend((child, (*path, key)) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, (*path, number)) for number, child in enumerate(node))


def _at(pointer: str) -> Place:
    return partial(str, pointer)


_DATA_KEYS = ("default", "example", "x-example", "examples", "x-ms-test-value", "enum")
_DATA_KEY_SET = frozenset(_DATA_KEYS)


def _swagger_values(package: Package) -> Iterator[tuple[str, Place, str | None]]:
    """(value, pointer, name) for the literal values of the swagger: defaults, examples and
    enums of parameters and schemas, named by the parameter or property they belong to."""
    parameters = parameter_definitions(package)
    nodes = map(operator.attrgetter("node"), parameters)
    for parameter in itertools.compress(
        parameters, map(operator.not_, map(_DATA_KEY_SET.isdisjoint, nodes))
    ):
        node = parameter.node
        name = text(node.get("name"))
        for key in _DATA_KEYS:
            if key in node:
                place = partial(_below, partial(getattr, parameter, "pointer"), (key,))
                for value, pointer in _strings(node[key], place):
                    yield value, pointer, name
    found = index(package)
    for entry in found.value_holders:  # the few schemas that hold a literal value
        node = entry[0]
        name = entry[3] if entry[2] == "properties" and isinstance(entry[3], str) else None
        for key in VALUE_KEYS:  # not `enum`: schemas hold enums of names and states
            if key in node:
                place = partial(found.schema_pointer, entry, key)
                for value, pointer in _strings(node[key], place):
                    yield value, pointer, name
    responses = as_dict(as_dict(package.swagger).get("responses"))
    for code, response in responses.items():
        examples = as_dict(response).get("examples")
        if examples is not None:
            for value, pointer in _strings(examples, _at(join("/responses", code, "examples"))):
                yield value, pointer, None


def _properties_values(package: Package) -> Iterator[tuple[str, Place, str | None]]:
    """(value, pointer, name) for the literal values of apiProperties.json: policy template
    parameters (a setheader's value is named by its header) and connection parameter
    defaults; OAuth client secrets are connection-parameter-client-secret's."""
    api = api_properties(package)
    for instance in api.policies:
        parameters = instance.parameters
        base = instance.parameters_pointer
        target = next(
            (text(parameters.get(key)) for key in _NAME_PARAMETERS if text(parameters.get(key))),
            None,
        )
        for key, raw in parameters.items():
            name = target if key == _VALUE_PARAMETER and target else key
            for value, pointer in _strings(raw, _at(join(base, key))):
                yield value, pointer, name
    for parameter in api.all_connection_parameters():
        name, definition = parameter.name, parameter.definition
        places = [(definition, parameter.pointer)]
        ui = definition.get("uiDefinition")
        if isinstance(ui, dict):
            places.append((ui, join(parameter.pointer, "uiDefinition")))
        for holder, holder_pointer in places:
            for key in ("defaultValue", "default", "value"):
                if key in holder:
                    start = _at(join(holder_pointer, key))
                    for value, place in _strings(holder[key], start):
                        yield value, place, name
        settings = parameter.oauth_settings()
        for custom in settings.custom_parameters if settings is not None else ():
            if custom.value is not None:
                yield custom.value, _at(join(custom.pointer, "value")), custom.name


_SCRIPT_STRING = re.compile(r'@?"((?:[^"\\\n]|\\.|"")*)"')


@rule("secret-committed", Severity.ERROR, needs=())
def secret_committed(package: Package) -> Iterator[Problem]:
    """No key, token or password is committed in the package.

    What: a literal value that is a credential, in policy template parameters (a `setheader`
    adding `X-API-Key: 3f9c...`), connection parameter defaults and OAuth custom parameters,
    swagger defaults, examples, `x-ms-test-value`s and enums of parameters, properties and
    headers, and string literals of script.csx. Two tests: the shape of a well-known key
    anywhere (AWS `AKIA...`, GitHub `ghp_...`, Slack `xox?-...`, Google `AIza...`, Stripe
    `sk_live_...`, SendGrid `SG....`, OpenAI `sk-...`, JSON Web Tokens `eyJ....eyJ....`, Azure
    storage `AccountKey=...`, SAS `sig=...`, `-----BEGIN ... PRIVATE KEY`); and, where the name
    of the parameter, property, header or policy value says it is a key, token, secret,
    password, credential or signature, a value that looks random: one token of 16 to 512
    characters with letters and digits and at least 3.5 bits of entropy per character, or an
    HTTP Basic authorization with a real user:password pair. GUIDs, URLs, expressions
    (`@connectionParameters(...)`) and placeholders ("your-api-key", "<token>", "xxxx",
    "test") are not secrets. OAuth client secrets are connection-parameter-client-secret's.
    Hexadecimal values, at most 4 bits per character, need 3.0. Tuned on all 1,014 certified
    and independent-publisher connectors of microsoft/PowerPlatformConnectors (October 2024):
    it reports 4 values in 4 connectors, each a live-looking credential (an Azure Functions
    key as the default of `code`, two Logic Apps trigger signatures as the default of `sig`,
    a 32-digit API key as an `x-example`) and nothing else; words ("Top100kCommonPasswords"),
    GUIDs, AWS's documented example key and repetitive dummies ("abcabcabc123") are passed
    over. The removal Microsoft's reviewers asked for in "remove secrets in swaggerdoc"
    (#3269, a function key in a `code` default) is caught. Microsoft's submission checklist asks
    that no credential be part of the files
    (https://learn.microsoft.com/en-us/connectors/custom-connectors/certification-submission).
    Why: the package is public; a committed credential is a leaked credential, and every
    connection would share it.
    Fix: remove the value (use a connection parameter, `@connectionParameters('...')` in the
    policy, or a placeholder in examples), and revoke the credential at its issuer.
    """
    swagger = package.swagger
    if swagger is not None:
        for value, pointer, name in _swagger_values(package):
            reason = _verdict(value, name)
            if reason is not None:
                yield Problem(f"A committed secret: {reason} is written as a literal", pointer())
    if package.properties is not None:
        for value, pointer, name in _properties_values(package):
            reason = _verdict(value, name)
            if reason is not None:
                yield Problem(
                    f"A committed secret: {reason} is written as a literal",
                    pointer(),
                    FileKind.PROPERTIES,
                )
    script = package.document(FileKind.SCRIPT)
    if script is not None and script.text is not None:
        for number, line in enumerate(script.text.splitlines(), start=1):
            if '"' not in line:
                continue
            for match in _SCRIPT_STRING.finditer(line):
                shape = key_shape(match.group(1))
                if shape is not None:
                    yield Problem(
                        f"A committed secret: {shape} is written as a literal",
                        "",
                        FileKind.SCRIPT,
                        number,
                        match.start() + 1,
                    )


RULES: tuple[Rule, ...] = (secret_committed,)
