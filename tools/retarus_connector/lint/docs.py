"""Rule documentation from the registry: the rules table (`retarus-connector build` writes it
into the generated block of docs/lint.md), `--explain` and `--list-rules`. Everything here is
generated from the rules themselves, so it cannot drift."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from retarus_connector.lint.citations import addresses, cite
from retarus_connector.lint.model import Profile, Rule


def profile_note(rule: Rule) -> str:
    """How profiles change a rule, in a few words ("" when they do not)."""
    notes: list[str] = []
    if rule.profiles is not None:
        names = ", ".join(profile.value for profile in Profile if profile in rule.profiles)
        notes.append(f"only {names}")
    notes.extend(
        f"{profile.value}: {severity.value}" for profile, severity in rule.profile_severities
    )
    return "; ".join(notes)


def rules_table(rules: Sequence[Rule]) -> str:
    """The markdown table of rules for README.md: id, default severity, family, summary."""
    lines = [
        "| Rule | Severity | Family | What it checks |",
        "|---|---|---|---|",
    ]
    for rule in rules:
        severity = rule.severity.value
        note = profile_note(rule)
        if note:
            severity = f"{severity} ({note})"
        lines.append(f"| `{rule.id}` | {severity} | {rule.family} | {_cell(rule.summary)} |")
    return "\n".join(lines) + "\n"


def explain(rule: Rule, profile: Profile | None = None) -> str:
    """The full documentation of one rule, for `--explain`; with a profile, the severity the
    rule has under it. Citations name Microsoft's public pages, listed at the end."""
    data = explain_data(rule, profile)
    header = [f"{rule.id} ({rule.family})", f"default severity: {rule.severity.value}"]
    if profile is not None:
        header.append(f"under {profile.value}: {data['profileSeverity'] or 'does not run'}")
    note = profile_note(rule)
    if note:
        header.append(f"profiles: {note}")
    if rule.needs:
        header.append("checks: " + ", ".join(kind.value for kind in rule.needs))
    text: str = "\n".join(header) + "\n\n" + data["documentation"] + "\n"
    if data["references"]:
        text += "\nReferences:\n" + "".join(f"  {url}\n" for url in data["references"])
    return text


def explain_data(rule: Rule, profile: Profile | None = None) -> dict[str, Any]:
    """One rule's documentation as data, for `--explain --format json`."""
    documentation, titles = cite(rule.doc or rule.summary)
    return {
        "id": rule.id,
        "family": rule.family,
        "severity": rule.severity.value,
        "profile": profile.value if profile is not None else None,
        "profileSeverity": _severity_under(rule, profile) if profile is not None else None,
        "profiles": {p.value: _severity_under(rule, p) for p in Profile},
        "checks": [kind.value for kind in rule.needs],
        "summary": rule.summary,
        "documentation": documentation,
        "references": addresses(titles),
    }


def rule_list(rules: Sequence[Rule], profile: Profile | None = None) -> str:
    """One line per rule: id, severity, summary (for `--list-rules`); with a profile, the
    severity under it, and `off` for a rule written for other profiles only."""
    width = max((len(rule.id) for rule in rules), default=0)
    lines = []
    for rule in rules:
        severity = rule.severity.value if profile is None else _severity_under(rule, profile)
        lines.append(f"{rule.id:<{width}}  {severity or 'off':<7}  {rule.summary}\n")
    return "".join(lines)


def rule_list_data(rules: Sequence[Rule], profile: Profile | None = None) -> list[dict[str, Any]]:
    """`--list-rules --format json`: id, family, severity (under the profile, when given;
    null for a rule that does not run under it) and summary of each rule."""
    return [
        {
            "id": rule.id,
            "family": rule.family,
            "severity": rule.severity.value if profile is None else _severity_under(rule, profile),
            "summary": rule.summary,
        }
        for rule in rules
    ]


def _severity_under(rule: Rule, profile: Profile) -> str | None:
    if rule.profiles is not None and profile not in rule.profiles:
        return None
    return rule.severity_for(profile).value


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
