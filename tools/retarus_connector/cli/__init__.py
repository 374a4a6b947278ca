"""Command line interface: thin click commands that parse options and call the core.

Commands are imported only when invoked, so that `retarus-connector lint` does not pay
for Pillow, requests or jsonschema at start-up.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from retarus_connector import __version__

# command name -> module under retarus_connector.cli that defines `command`
COMMAND_MODULES: dict[str, str] = {
    "build": "build",
    "lint": "lint",
    "diff": "diff",
    "mock": "mock",
    "call": "call",
    "package": "package",
    "publish": "publish",
    "solution": "solution",
    "certification": "certification",
}


def _exists(module_name: str) -> bool:
    import importlib.util  # only the command list asks; running a command imports it directly

    return importlib.util.find_spec(f"retarus_connector.cli.{module_name}") is not None


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, module in COMMAND_MODULES.items() if _exists(module))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMAND_MODULES.get(cmd_name)
        if module_name is None:
            return None
        qualified = f"retarus_connector.cli.{module_name}"
        try:
            module = importlib.import_module(qualified)
        except ModuleNotFoundError as error:
            if error.name != qualified:  # the command is there; something it needs is not
                raise
            return None
        command: Any = module.command
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="retarus-connector")
def main() -> None:
    """Build, lint, simulate and run the Retarus SMS Power Platform connector."""
