"""Rule documentation from the registry: the rules table (`retarus-connector build` writes it
into the generated block of docs/lint.md), `--explain` and `--list-rules`. Everything here is
generated from the rules themselves, so it cannot drift."""

from __future__ import annotations

from collections.abc import Sequence

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


def explain(rule: Rule) -> str:
    """The full documentation of one rule, for `--explain`."""
    header = [
        f"{rule.id} ({rule.family})",
        f"default severity: {rule.severity.value}",
    ]
    note = profile_note(rule)
    if note:
        header.append(f"profiles: {note}")
    if rule.needs:
        header.append("checks: " + ", ".join(kind.value for kind in rule.needs))
    return "\n".join(header) + "\n\n" + (rule.doc or rule.summary) + "\n"


def rule_list(rules: Sequence[Rule]) -> str:
    """One line per rule: id, severity, summary (for `--list-rules`)."""
    width = max((len(rule.id) for rule in rules), default=0)
    return "".join(
        f"{rule.id:<{width}}  {rule.severity.value:<7}  {rule.summary}\n" for rule in rules
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
