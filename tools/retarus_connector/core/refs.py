"""The one way the toolkit follows `$ref`: lint, diff and the runtime all resolve references
here, so a reference resolves in one of them exactly when it resolves in the others.

The semantics, in full:

* A reference is a string. Only a reference into the same document is followed: "#" then an
  RFC 6901 pointer ("#/definitions/Pet"). Anything else that does not start with "#" is
  `EXTERNAL` (another file or a URL) and is reported as such, never fetched; "#" followed by
  something that is not a pointer ("#Pet") is `MALFORMED`.
* The fragment is percent-decoded first (RFC 3986, as RFC 6901 section 6 says for a pointer in
  a URI fragment: "#/definitions/A%20B" names the definition "A B"), then split into tokens,
  in which "~1" is "/" and "~0" is "~". A "%" not followed by two hex digits stays as it is.
* A reference may point anywhere in the document, into arrays too ("#/x/items/0"); which
  sections a connector may point into is a lint rule, not part of resolving.
* A target that is itself a `$ref` object is followed in turn, for at most `MAX_REF_HOPS`
  references in a row; a longer chain is `TOO_LONG`. Real swaggers need one or two hops, and a
  longer chain is far more likely a generated loop than a design.
* A reference whose target was already reached on the way is a `CYCLE`; targets are compared
  by their decoded pointer, so two spellings of one place count as one.
* A target that does not exist is `MISSING`; JSON null where the pointer ends exists.
"""

import enum
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import unquote

from retarus_connector.core.pointer import MISSING, lookup

# the most `$ref`s followed in a row before a chain counts as broken (see the module docstring)
MAX_REF_HOPS = 32


class RefStatus(enum.Enum):
    """How following a chain of references ended."""

    RESOLVED = "resolved"  # a value that is not a `$ref` object was reached
    NOT_TEXT = "not-text"  # a `$ref` whose value is not a string
    EXTERNAL = "external"  # a reference to another document; not followed
    MALFORMED = "malformed"  # "#" followed by something that is not a JSON pointer
    MISSING = "missing"  # the pointer names nothing in the document
    CYCLE = "cycle"  # the chain comes back to a target it already reached
    TOO_LONG = "too-long"  # more than MAX_REF_HOPS references in a row


class Resolution(NamedTuple):
    """Where following references from a node ended.

    `node` and `pointer` are the target reached, or, when following stopped early, the `$ref`
    object it stopped at and its pointer (the pointer given for the start node, which may be
    "" when the caller did not know it). `refs` holds the `$ref` values met, in order; when
    following failed, the last one is the one that failed."""

    node: Any
    pointer: str
    status: RefStatus
    refs: tuple[Any, ...]

    @property
    def resolved(self) -> bool:
        return self.status is RefStatus.RESOLVED


def ref_pointer(ref: str) -> str | None:
    """The JSON pointer a same-document reference names ("#/a/b%20c" -> "/a/b c"), or None
    when `ref` is not one (external or malformed)."""
    if not ref.startswith("#"):
        return None
    fragment = unquote(ref[1:]) if "%" in ref else ref[1:]
    if fragment and fragment[0] != "/":
        return None
    return fragment


def classify(ref: Any) -> RefStatus | None:
    """Why `ref` cannot name a place in this document (NOT_TEXT, EXTERNAL or MALFORMED), or
    None when it can (whether the place exists is `follow`'s to say)."""
    if not isinstance(ref, str):
        return RefStatus.NOT_TEXT
    if not ref.startswith("#"):
        return RefStatus.EXTERNAL
    if ref_pointer(ref) is None:
        return RefStatus.MALFORMED
    return None


def is_ref(node: Any) -> bool:
    """Whether `node` is a `$ref` object (an object with a `$ref` member, of any value)."""
    return (node.__class__ is dict or isinstance(node, Mapping)) and "$ref" in node


def follow(document: Any, node: Any, pointer: str = "") -> Resolution:
    """Follow the `$ref`s from `node` (found at `pointer` in `document`) to the first value
    that is not a `$ref` object. A node that is no reference resolves to itself."""
    refs: list[Any] = []
    seen: set[str] | None = None
    while (node.__class__ is dict or isinstance(node, Mapping)) and "$ref" in node:
        ref = node["$ref"]
        refs.append(ref)
        if not isinstance(ref, str):
            return Resolution(node, pointer, RefStatus.NOT_TEXT, tuple(refs))
        target_pointer = ref_pointer(ref)
        if target_pointer is None:
            status = RefStatus.EXTERNAL if not ref.startswith("#") else RefStatus.MALFORMED
            return Resolution(node, pointer, status, tuple(refs))
        if len(refs) > MAX_REF_HOPS:
            return Resolution(node, pointer, RefStatus.TOO_LONG, tuple(refs))
        # most chains are one hop: the set of targets reached is made only for longer ones
        if seen is None:
            seen = set()
        elif target_pointer in seen:
            return Resolution(node, pointer, RefStatus.CYCLE, tuple(refs))
        target = lookup(document, target_pointer)
        if target is MISSING:
            return Resolution(node, pointer, RefStatus.MISSING, tuple(refs))
        seen.add(target_pointer)
        node, pointer = target, target_pointer
    return Resolution(node, pointer, RefStatus.RESOLVED, tuple(refs))


def resolve(document: Any, ref: Any) -> Resolution:
    """Follow the reference `ref` as if it were written in a `{"$ref": ref}` object; the
    start node of a failed resolution is that object, at pointer ""."""
    return follow(document, {"$ref": ref}, "")
