"""The certification package as bytes: an outer zip with intro.md and a package zip whose one
folder, PkgAssets, holds the connector solution and the flow solution.

That is the structure Microsoft's ConnectorPackageValidator.ps1 checks; it counts only zips in
the folder, so nothing else (no Package Deployer build) goes in.
"""

from __future__ import annotations

from dataclasses import dataclass

from retarus_connector.emitters.certification import intro_markdown
from retarus_connector.models.package import Connector
from retarus_connector.models.solutions import Solutions

from .serialize import text_bytes
from .solution import SolutionSet
from .zips import zip_entries

INTRO_FILE = "intro.md"
ASSETS_FOLDER = "PkgAssets"


@dataclass(frozen=True)
class CertificationPackage:
    name: str
    data: bytes


def certification_names(solutions: Solutions) -> tuple[str, str]:
    """The outer zip's name and the package zip's name inside it."""
    stem = solutions.connector_solution.unique_name.removesuffix("Connector")
    version = solutions.connector_solution.version.replace(".", "_")
    return f"{stem}_certification_{version}.zip", f"{stem}_package.zip"


def certification_package(
    connector: Connector, solutions: Solutions, built: SolutionSet
) -> CertificationPackage:
    outer_name, package_name = certification_names(solutions)
    connector_zip, flow_zip = built.connector_solution, built.flow_solution
    package = zip_entries(
        [
            (f"{ASSETS_FOLDER}/{connector_zip.name}", connector_zip.data),
            (f"{ASSETS_FOLDER}/{flow_zip.name}", flow_zip.data),
        ]
    )
    intro = intro_markdown(connector, solutions, connector_zip.name, flow_zip.name)
    outer = zip_entries([(INTRO_FILE, text_bytes(intro)), (package_name, package)])
    return CertificationPackage(outer_name, outer)
