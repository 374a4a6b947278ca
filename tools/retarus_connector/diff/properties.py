"""Comparison of two apiProperties.json files: the connection settings, policies,
capabilities and custom-code routing a connector package declares next to its swagger. The
connection parameters and parameter sets are compared in connections.py (read by settings.py),
the package's script.csx and icon in assets.py; the decisions below hold for all three.

Power Platform builds the connection dialog and the sign-in from `connectionParameters` (or,
for multi-auth, from the `parameters` of each entry of `connectionParameterSets`), and every
existing connection keeps what its user entered, or the tokens the sign-in returned, under the
parameters' names. Whatever takes away such a value, asks for one existing connections do not
have, or changes what a stored token is good for, makes users edit or re-create their
connections: that is what counts as breaking here. Every change is connector-wide (no
operation) and points into apiProperties.json, or at script.csx.

Sources of the severities:

* Microsoft's "Update your certified connector" page (learn.microsoft.com/connectors/
  custom-connectors/certification-updates) says that changing the authentication type of a
  connector in an update is not allowed, and its table of minor updates admits, in
  apiProperties.json, only description, tooltip, iconBrandColor, publisher and stackOwner:
  a change of connection parameters, policies or capabilities makes a major update, which
  reviewers examine. So everything below is reported, the changes of connections' values as
  breaking, the others as non-breaking (listed with `--all`).
* A changed parameter `type` (string, securestring, oauthSetting, ...) is breaking: the stored
  value is of the old kind, and to or from oauthSetting it changes the authentication type.
* A parameter added as required is breaking, by the rule the swagger's required parameters
  follow: existing connections have no value for it, and the connection dialog is the only
  place to give one. A parameter is required unless `uiDefinition.constraints.required` is
  "false" (or false); a `defaultValue` (reference section 2, primitive parameters) fills the
  value, which makes it non-breaking. A parameter that becomes required follows the same rule.
* A removed parameter is breaking when either version uses it: a `@connectionParameters('x')`
  (in any letter case) in apiProperties.json or in the swagger; an oauthSetting parameter (it
  holds the sign-in) or a securestring one (a secret is kept only to be sent, and a corpus
  connector, Meisterplan, has an API key but no security definition saying how it is sent);
  `username`/`password` under a basic security definition, `api_key` under an apiKey one,
  `token` under an oauth2 one (the names the portal and paconn use, reference section 2); a
  `name:sub` parameter counts as used when `name` is. Still used by the new version, no
  connection can give it a value any more; used only by the old one, what existing
  connections set stops taking effect (a host they chose, a header they send). Used by
  neither, existing connections keep a value nothing reads, so the removal is not breaking.
  A used parameter that leaves `connectionParameters` for a parameter set (a connector made
  multi-auth) stays breaking, with a message that says so: existing connections hold it
  outside any set, and what the platform does with them is not documented.
* oAuthSettings: a changed `identityProvider` is breaking (another provider issues the
  tokens; it is the authentication changing). Added `scopes` are breaking and removed ones
  are not, for the reason the swagger's scopes are: RFC 6749 section 6 lets a refresh ask for
  no scope the user did not grant. A changed `clientId` is breaking because RFC 6749 section 6
  accepts a refresh token only from the client it was issued to; but the repository copies
  of certified connectors hold placeholders (the reference, section 2: "placeholders only";
  the merged update PowerPlatformConnectors PR #3247 replaced a real client id with null), so
  a change where either value looks like a placeholder is reported as non-breaking.
* A changed `redirectMode` is not breaking: a token refresh sends no redirect URI, so
  existing connections keep working. Reviewers ask publishers to move from Global to
  GlobalPerConnector in updates (PowerPlatformConnectors PR #3247; #3210 did so in an
  update and was merged), but new sign-ins then fail until the OAuth app accepts the new
  redirect URL (PR #3035), which the message says.
* `customParameters` compare by name without letter case (certified connectors spell them
  both ways). A change of one that existing connections get or refresh their tokens with is
  breaking, like the swagger's tokenUrl: tokenUrl, refreshUrl, their oauth2generic templates,
  and the Entra ID resourceUri, loginUri, tenantId and grantType. Any other one
  (authorizationUrl: only new sign-ins use it) is reported as non-breaking.
* `uiDefinition.constraints.allowedValues` (the choices the connection dialog offers; an
  entry's `value` counts, its `text` is a DescriptionChanged): a value removed from a
  parameter both versions have is breaking, as a removed enum value of the swagger is, because
  existing connections may hold it and the dialog no longer offers it. A value added is not,
  and neither is a list introduced (the swagger's rule for an enum added: the service did not
  accept other values either) or dropped (any value is accepted). Values are printed, as the
  dialog shows them.
* A changed, added or removed `defaultValue` is non-breaking but listed: it fills the dialog
  of new connections only. Its values are not printed: a default may be a secret's.
* A parameter set removed is breaking: connections created with it have nothing to
  authenticate with. One added is not; when the old version had no sets at all, the message
  says that existing connections were created without choosing one (what Power Platform does
  with them is not documented). The parameters of a set compare like `connectionParameters`.
* Policy templates added, removed or with other parameters, and a changed `capabilities`
  list, change what happens at run time but ask nothing of connections: non-breaking.
  Policies pair by templateId and title, then by templateId in order, so a retitled policy is
  one change of its title.
* `scriptOperations` (the operations routed through script.csx) added or removed, and
  script.csx added, removed or with other content (line endings and a byte order mark
  ignored), change what operations do at run time but ask nothing of connections:
  non-breaking, listed so that reviewers see them. The script changes point at the whole
  file (pointer "").
* `publisher`, `stackOwner` and `iconBrandColor` (the color without letter case) are listed as
  non-breaking: the page above counts them, with descriptions and tooltips, as minor updates,
  and no connection depends on them, but they change how the connector is presented and a
  certification reviewer checks who publishes it, so they are reported like the texts.
* icon.png added, removed or replaced (any byte differs) is non-breaking and listed: like
  `iconBrandColor`, it changes how the connector is presented, and reviewers check it. Its
  changes point at the whole file (pointer "").
* Texts (a parameter's or set's displayName, description and tooltip, a policy's title, an
  allowed value's text) are reported as DescriptionChanged.

Values of `clientId`, `clientSecret` and custom parameters never appear in messages: they may
be credentials.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from retarus_connector.core.properties import Item, PolicyInstance

from .connections import ConnectionComparison, member_at
from .messages import quote, render
from .model import Change, ChangeKind, Severity, Side
from .settings import names_listed, parameters_of, policy_label, policy_operations
from .swagger import as_text, child

BREAKING = Severity.BREAKING
NON_BREAKING = Severity.NON_BREAKING

# Every kind this comparison, `compare_scripts` and `compare_icons` report; the scope and description kinds are
# shared with the swagger comparison.
KINDS = frozenset(
    {
        ChangeKind.CONNECTION_PARAMETER_REMOVED,
        ChangeKind.REQUIRED_CONNECTION_PARAMETER_ADDED,
        ChangeKind.OPTIONAL_CONNECTION_PARAMETER_ADDED,
        ChangeKind.CONNECTION_PARAMETER_NEWLY_REQUIRED,
        ChangeKind.CONNECTION_PARAMETER_TYPE_CHANGED,
        ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUE_REMOVED,
        ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUE_ADDED,
        ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUES_ADDED,
        ChangeKind.CONNECTION_PARAMETER_DEFAULT_VALUE_CHANGED,
        ChangeKind.CONNECTION_PARAMETER_SET_REMOVED,
        ChangeKind.CONNECTION_PARAMETER_SET_ADDED,
        ChangeKind.OAUTH_IDENTITY_PROVIDER_CHANGED,
        ChangeKind.OAUTH_CLIENT_ID_CHANGED,
        ChangeKind.OAUTH_SCOPE_ADDED,
        ChangeKind.OAUTH_SCOPE_REMOVED,
        ChangeKind.OAUTH_REDIRECT_MODE_CHANGED,
        ChangeKind.OAUTH_CUSTOM_PARAMETER_CHANGED,
        ChangeKind.POLICY_TEMPLATE_REMOVED,
        ChangeKind.POLICY_TEMPLATE_ADDED,
        ChangeKind.POLICY_TEMPLATE_CHANGED,
        ChangeKind.CAPABILITIES_CHANGED,
        ChangeKind.SCRIPT_OPERATIONS_CHANGED,
        ChangeKind.CUSTOM_CODE_ADDED,
        ChangeKind.CUSTOM_CODE_REMOVED,
        ChangeKind.CUSTOM_CODE_CHANGED,
        ChangeKind.PUBLISHER_CHANGED,
        ChangeKind.STACK_OWNER_CHANGED,
        ChangeKind.ICON_BRAND_COLOR_CHANGED,
        ChangeKind.ICON_ADDED,
        ChangeKind.ICON_REMOVED,
        ChangeKind.ICON_CHANGED,
        ChangeKind.DESCRIPTION_CHANGED,
    }
)


def compare_properties(
    old: Any, new: Any, old_swagger: Any = None, new_swagger: Any = None
) -> Iterator[Change]:
    """Every change from the apiProperties document `old` to `new`, breaking and
    non-breaking, in this order: connection parameters, parameter sets, policies,
    capabilities. The swaggers tell which connection parameters each version uses."""
    yield from _PropertiesComparison(old, new, old_swagger, new_swagger).changes()


class _PropertiesComparison(ConnectionComparison):
    def changes(self) -> Iterator[Change]:
        yield from self._parameter_map(
            parameters_of(self.old.connection_parameters),
            parameters_of(self.new.connection_parameters),
            None,
        )
        yield from self._sets()
        yield from self._policies()
        yield from self._capabilities()
        yield from self._script_operations()
        yield from self._presentation()

    def _policies(self) -> Iterator[Change]:
        old_policies, new_policies = self.old.policies, self.new.policies
        matches = _match_policies(old_policies, new_policies)
        for old in old_policies:
            new = matches.get(old.pointer)
            if new is None:
                yield self.change(
                    ChangeKind.POLICY_TEMPLATE_REMOVED,
                    NON_BREAKING,
                    old.pointer,
                    f"The policy {policy_label(old)} has been removed; requests and responses"
                    f" of {policy_operations(old)} no longer go through it.",
                    Side.OLD,
                )
                continue
            yield from self._policy(old, new)
        matched = {new.pointer for new in matches.values()}
        for new in new_policies:
            if new.pointer not in matched:
                yield self.change(
                    ChangeKind.POLICY_TEMPLATE_ADDED,
                    NON_BREAKING,
                    new.pointer,
                    f"The policy {policy_label(new)} has been added; it changes requests or"
                    f" responses of {policy_operations(new)} at run time.",
                )

    def _policy(self, old: PolicyInstance, new: PolicyInstance) -> Iterator[Change]:
        if old.title != new.title:
            yield self.member_change(
                ChangeKind.DESCRIPTION_CHANGED,
                NON_BREAKING,
                "title",
                old,
                new,
                f"The title of the policy '{new.template_id or ''}' has changed:"
                f" {quote(old.title)} is now {quote(new.title)}.",
            )
        old_parameters, new_parameters = old.parameters, new.parameters
        names = list(old_parameters) + [n for n in new_parameters if n not in old_parameters]
        changed = [
            name
            for name in names
            if name not in old_parameters
            or name not in new_parameters
            or render(old_parameters[name]) != render(new_parameters[name])
        ]
        if old.node.get("type") != new.node.get("type"):
            changed.insert(0, "type")
        if changed:
            yield self.change(
                ChangeKind.POLICY_TEMPLATE_CHANGED,
                NON_BREAKING,
                child(new.pointer, "parameters") if "parameters" in new.node else new.pointer,
                f"The policy {policy_label(new)} has changed ({', '.join(changed)}); what it"
                f" does to requests or responses of {policy_operations(new)} at run time"
                " changes with it.",
            )

    def _capabilities(self) -> Iterator[Change]:
        if difference := _listed_difference(self.old.capabilities, self.new.capabilities):
            yield self.change(
                ChangeKind.CAPABILITIES_CHANGED,
                NON_BREAKING,
                "/properties/capabilities",
                f"The capabilities have changed: {difference}.",
                Side.NEW if "capabilities" in self.new.properties else Side.OLD,
            )

    def _script_operations(self) -> Iterator[Change]:
        old, new = self.old.script_operations, self.new.script_operations
        if difference := _listed_difference(old, new):
            yield self.change(
                ChangeKind.SCRIPT_OPERATIONS_CHANGED,
                NON_BREAKING,
                "/properties/scriptOperations",
                f"The scriptOperations have changed: {difference}. They name the operations"
                " whose requests and responses go through the custom code (script.csx), so"
                " what those operations do at run time changes.",
                Side.NEW if "scriptOperations" in self.new.properties else Side.OLD,
            )

    def _presentation(self) -> Iterator[Change]:
        """publisher, stackOwner and iconBrandColor: what the connector's page and the
        designer show, which no connection depends on."""
        fields = (
            (ChangeKind.PUBLISHER_CHANGED, "publisher", str.strip),
            (ChangeKind.STACK_OWNER_CHANGED, "stackOwner", str.strip),
            # "#DA3B01" and "#da3b01" are one color
            (ChangeKind.ICON_BRAND_COLOR_CHANGED, "iconBrandColor", _color),
        )
        old_properties, new_properties = self.old.properties, self.new.properties
        for kind, key, normal in fields:
            old_value = as_text(old_properties.get(key))
            new_value = as_text(new_properties.get(key))
            if (old_value and normal(old_value)) == (new_value and normal(new_value)):
                continue
            pointer, side = member_at(
                key, old_properties, "/properties", new_properties, "/properties"
            )
            yield self.change(
                kind,
                NON_BREAKING,
                pointer,
                f"The {key} has changed: {quote(old_value)} is now {quote(new_value)}."
                " Connections do not depend on it; Microsoft counts it as a minor update.",
                side,
            )


def _color(value: str) -> str:
    return value.strip().lower()


def _listed_difference(old: tuple[Item, ...], new: tuple[Item, ...]) -> str:
    """What was added to and removed from a list of names in `properties`, in words ("" for
    nothing); a difference means one of the two files has the key."""
    old_values, new_values = names_listed(old), names_listed(new)
    parts = []
    if added := sorted(new_values - old_values):
        parts.append(f"added {', '.join(added)}")
    if removed := sorted(old_values - new_values):
        parts.append(f"removed {', '.join(removed)}")
    return "; ".join(parts)


def _match_policies(
    old: tuple[PolicyInstance, ...], new: tuple[PolicyInstance, ...]
) -> dict[str, PolicyInstance]:
    """old policy (by pointer) -> the new policy it became: the same templateId (without
    letter case) and title first, then the same templateId, in file order."""
    remaining = list(new)
    matches: dict[str, PolicyInstance] = {}
    for same_title in (True, False):
        for policy in old:
            if policy.pointer in matches:
                continue
            for candidate in remaining:
                if (candidate.template_id or "").lower() == (policy.template_id or "").lower() and (
                    not same_title or candidate.title == policy.title
                ):
                    matches[policy.pointer] = candidate
                    remaining.remove(candidate)
                    break
    return matches
