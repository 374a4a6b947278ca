"""docs/packaging.md and docs/ci.md say what the code does:
commands and options exist, YAML parses, names and templates are the ones generated."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from retarus_connector.cli import COMMAND_MODULES, main
from retarus_connector.packaging.archive import folder_files
from retarus_connector.packaging.development import DevTarget, development_connector
from retarus_connector.packaging.versioning import archive_name, current_connector, folder_name

PAGES = ("docs/packaging.md", "docs/ci.md")
SHELL_OPERATORS = {"&&", "||", "|", ">", ";", "&"}


@pytest.fixture(scope="module")
def sections(repository_root: Path) -> str:
    return "".join((repository_root / page).read_text(encoding="utf-8") for page in PAGES)


def _blocks(text: str, language: str) -> list[str]:
    """Fenced blocks of `language`; a block indented inside a list item loses the fence's
    indentation."""
    return [
        re.sub(rf"^{indent}", "", block, flags=re.M)
        for indent, block in re.findall(rf"^( *)```{language}\n(.*?)^ *```", text, re.S | re.M)
    ]


def _invocations(text: str) -> list[list[str]]:
    """Every `retarus-connector ...` command in the text, as words, up to a shell operator."""
    found: list[list[str]] = []
    for match in re.finditer(r"retarus-connector ([^\n`]+)", text):
        line = match.group(1).replace("\\\n", " ")
        try:
            words = shlex.split(line)
        except ValueError:  # an unbalanced quote in prose
            words = line.split()
        command: list[str] = []
        for word in words:
            if word in SHELL_OPERATORS:
                break
            command.append(word)
        if command and command[0] in COMMAND_MODULES:
            found.append(command)
    return found


def _options(name: str) -> set[str]:
    with click.Context(main) as context:
        command = main.get_command(context, name)
    assert command is not None, name
    names = {"--help", "-h"}
    for parameter in command.params:
        names.update(parameter.opts)
        names.update(parameter.secondary_opts)
    return names


def test_every_command_and_option_shown_exists(sections: str) -> None:
    invocations = _invocations(sections)
    assert {words[0] for words in invocations} >= {"package", "publish", "build", "lint", "diff"}
    for words in invocations:
        known = _options(words[0])
        for word in words[1:]:
            if word.startswith("-"):
                assert word.split("=")[0] in known, f"{' '.join(words)}: {word}"


def test_yaml_examples_parse(sections: str) -> None:
    blocks = _blocks(sections, "yaml")
    assert len(blocks) == 3
    for block in blocks:
        document: Any = yaml.safe_load(block)
        assert isinstance(document, dict)
        if "jobs" in document:
            for job in document["jobs"].values():
                for step in job["steps"]:
                    assert {"uses", "run"} & set(step), step
            runs = [s["run"] for j in document["jobs"].values() for s in j["steps"] if "run" in s]
            for words in _invocations("\n".join(runs)):
                known = _options(words[0])
                assert all(w in known for w in words[1:] if w.startswith("--")), words


def test_pre_commit_example_uses_the_published_hook(sections: str, repository_root: Path) -> None:
    hooks = yaml.safe_load((repository_root / ".pre-commit-hooks.yaml").read_text("utf-8"))
    configs = [yaml.safe_load(block) for block in _blocks(sections, "yaml")]
    (config,) = [config for config in configs if "repos" in config]
    used = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert used <= {hook["id"] for hook in hooks}


def test_names_and_files_of_the_zip_are_the_generated_ones(sections: str) -> None:
    connector = current_connector()
    assert f"dist/{archive_name(connector)}" in sections
    assert f"`{folder_name(connector)}/`" in sections
    table = re.findall(r"^\| `([^`]+)` \|", sections, re.M)
    assert sorted(table) == sorted(folder_files(connector))


def test_development_template_shown_is_the_one_built(sections: str) -> None:
    shown = re.search(r"de2 to `(https://abc123\.example-tunnel\.dev/[^`]+)`", sections)
    assert shown is not None
    dev = development_connector(current_connector(), DevTarget("abc123.example-tunnel.dev"))
    assert dev.host_choice is not None
    assert shown.group(1) == dict(dev.host_choice.base_urls)["de2"]
    assert f'"{dev.api.title}"' in sections


def test_pac_connector_flags_are_documented_ones(sections: str, shared_dir: Path) -> None:
    rules = (shared_dir / "reference" / "powerplatform-connector-rules.md").read_text("utf-8")
    pac = rules[rules.index("### pac connector") :]
    pac = pac[: pac.index("\n## ")]
    documented = set(re.findall(r"`(--[a-z-]+)", pac))
    used = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", " ".join(_pac_lines(sections))))
    assert used
    assert used <= documented, used - documented


def _pac_lines(text: str) -> list[str]:
    joined = re.sub(r"\n\s+(?=--)", " ", text)  # folded YAML scalars continue on the next line
    return [line for line in joined.splitlines() if "pac connector" in line]


def test_secret_reaches_pac_only_from_the_ci_secret_store(sections: str) -> None:
    workflows = [yaml.safe_load(block) for block in _blocks(sections, "yaml")]
    steps = [s for w in workflows if "jobs" in w for j in w["jobs"].values() for s in j["steps"]]
    (sign_in,) = [step for step in steps if "pac auth create" in step.get("run", "")]
    assert sign_in["env"]["PP_CLIENT_SECRET"] == "${{ secrets.PP_CLIENT_SECRET }}"
    assert '--clientSecret "$PP_CLIENT_SECRET"' in sign_in["run"]
