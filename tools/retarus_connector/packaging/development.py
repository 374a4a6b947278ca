"""The development build: the same connector pointed at another host, such as a tunnel to the
simulator (`retarus-connector mock`), so it can be tried in Power Automate without Retarus.

The simulator serves the eu facade at /rest/v1 and the data centers at /de1/rest/v1 and
/de2/rest/v1 of one host, so the data-center routing becomes a path prefix on the development
host: the custom code's table maps de2 to `<scheme>://<host>/de2<base path>` (and a
dynamichosturl policy that picks a host with `@headers(...)` gets that expression as the
prefix). The title gets a suffix, so the variant is never mistaken for the real connector in a
maker's list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from retarus_connector.core.names import TITLE_LIMIT
from retarus_connector.files.package import is_repository
from retarus_connector.models.operations import BASE_PATH
from retarus_connector.models.package import Connector, DynamicHostPolicy, HostChoice

# Not " (Dev)": certification wants a title that ends in a letter or digit (SW-04), and the
# variant should lint as cleanly as the release.
DEV_TITLE_SUFFIX = " Dev"
DEFAULT_BASE_PATH = BASE_PATH  # where the simulator serves the eu facade, as Retarus does
SCHEMES = ("https", "http")

# What the swagger's `host` may hold: a host name or address with an optional port.
_HOST = re.compile(r"^[^{}/\s:\\@?#]+(:\d{1,5})?$|^\[[0-9a-fA-F:.]+\](:\d{1,5})?$")
_BASE_PATH = re.compile(r"^/[^\s?#{}]*$")
# The gateway expression that picks the data center, e.g. @headers('dataCenter','de2').
_HEADER_EXPRESSION = re.compile(r"@headers\([^()]*\)")


class DevTargetError(ValueError):
    """A development target that cannot work; the message names the option at fault."""


@dataclass(frozen=True)
class DevTarget:
    """Where the development variant sends its requests."""

    host: str
    base_path: str = DEFAULT_BASE_PATH
    scheme: str = "https"

    def __post_init__(self) -> None:
        if "://" in self.host:
            raise DevTargetError(
                f"--host {self.host!r}: give the host name only (with an optional :port), "
                "without a scheme or path; choose the scheme with --scheme"
            )
        if not _HOST.match(self.host):
            raise DevTargetError(
                f"--host {self.host!r} is not a host name with an optional port, such as "
                "abc123.ngrok.app or 127.0.0.1:8080"
            )
        if not _BASE_PATH.match(self.base_path):
            raise DevTargetError(
                f"--base-path {self.base_path!r} must start with / and hold no spaces, "
                "query or fragment, such as /rest/v1"
            )
        if self.scheme not in SCHEMES:
            raise DevTargetError(f"--scheme {self.scheme!r} must be one of {', '.join(SCHEMES)}")

    @property
    def normalized_base_path(self) -> str:
        """The base path without a trailing slash (the API's paths bring their own)."""
        return self.base_path.rstrip("/") or "/"


def development_connector(connector: Connector, target: DevTarget) -> Connector:
    """`connector` pointed at `target`: host, base path, scheme, the data-center policies
    and a title with the development suffix."""
    title = connector.api.title + DEV_TITLE_SUFFIX
    if len(title) > TITLE_LIMIT:
        raise DevTargetError(
            f"info.title {title!r} would have {len(title)} characters with the development "
            f"suffix; the limit is {TITLE_LIMIT}"
        )
    base_path = target.normalized_base_path
    api = replace(
        connector.api,
        title=title,
        host=target.host,
        base_path=base_path,
        schemes=(target.scheme,),
    )
    policies = tuple(_retarget(policy, target, base_path) for policy in connector.policies)
    choice = connector.host_choice
    return replace(
        connector,
        api=api,
        policies=policies,
        host_choice=None if choice is None else _retarget_choice(choice, target, base_path),
    )


def _retarget_choice(choice: HostChoice, target: DevTarget, base_path: str) -> HostChoice:
    """Each choice becomes a path prefix named after it on the development host."""
    path = "" if base_path == "/" else base_path
    return replace(
        choice,
        base_urls=tuple(
            (value, f"{target.scheme}://{target.host}/{value}{path}")
            for value, _ in choice.base_urls
        ),
        base_path=base_path,
    )


def _retarget(policy: DynamicHostPolicy, target: DevTarget, base_path: str) -> DynamicHostPolicy:
    """The policy's host choice becomes a path prefix on the development host."""
    chooser = _HEADER_EXPRESSION.search(policy.url_template)
    prefix = f"/{chooser.group(0)}" if chooser else ""
    path = "" if base_path == "/" and prefix else base_path
    return replace(policy, url_template=f"{target.scheme}://{target.host}{prefix}{path}")


def check_development_folder(out_dir: Path) -> None:
    """Refuse a folder that is a checkout of this project: its package files are the release
    and must never be replaced by a development variant."""
    if is_repository(out_dir):
        raise DevTargetError(
            f"--out {out_dir}: this is the repository, whose package is the release; "
            "write the development variant to another folder"
        )
