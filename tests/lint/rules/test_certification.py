"""The certification rules (ConnectorPackageValidator.ps1): a broken package each, and the
clean one passing all of them."""

from __future__ import annotations

from typing import Any

from lint_packages import table_tests
from solution_samples import (
    certification_entries,
    certification_package,
    connector_entries,
    edited,
    solution_entries,
    zip_bytes,
)

from retarus_connector.lint.model import FileKind, Problem, Rule
from retarus_connector.lint.rules import certification

CONNECTOR_ZIP = zip_bytes(connector_entries())
FLOW_ZIP = zip_bytes(solution_entries())
NO_CONNECTOR = zip_bytes(
    edited(
        edited(connector_entries(), "customizations.xml", "<Connector>", "<Other>"),
        "customizations.xml",
        "</Connector>",
        "</Other>",
    )
)

FAILING: list[tuple[Rule, dict[str, bytes], list[str], str]] = [
    (
        certification.zip_readable,
        certification_entries(outer={"package.zip": b"not a zip"}),
        ["c.zip!/package.zip"],
        "not a readable zip",
    ),
    (
        certification.outer_folders,
        certification_entries(outer={"docs/intro.md": b"x"}),
        ["c.zip"],
        "folder(s) docs",
    ),
    (
        certification.outer_files,
        certification_entries(outer={"notes.md": b"x"}),
        ["c.zip"],
        "exactly one *.md",
    ),
    (
        certification.outer_files,
        {"package.zip": certification_entries()["package.zip"]},
        ["c.zip"],
        "holds 0",
    ),
    (
        certification.package_folder,
        certification_entries({"PkgAssets/a.zip": CONNECTOR_ZIP, "Other/b.zip": FLOW_ZIP}),
        ["c.zip!/package.zip"],
        "exactly one folder",
    ),
    (
        certification.assets_subfolders,
        certification_entries(
            {"PkgAssets/a.zip": CONNECTOR_ZIP, "PkgAssets/b.zip": FLOW_ZIP, "PkgAssets/x/c": b"1"}
        ),
        ["c.zip!/package.zip!/PkgAssets"],
        "subfolders",
    ),
    (
        certification.assets_zips,
        certification_entries({"PkgAssets/a.zip": CONNECTOR_ZIP}),
        ["c.zip!/package.zip!/PkgAssets"],
        "exactly 2",
    ),
    (
        certification.solution_files,
        certification_entries(
            {
                "PkgAssets/a.zip": CONNECTOR_ZIP,
                "PkgAssets/b.zip": zip_bytes(
                    {k: v for k, v in solution_entries().items() if k != "[Content_Types].xml"}
                ),
            }
        ),
        ["c.zip!/package.zip!/PkgAssets/b.zip"],
        "[content_types].xml",
    ),
    (
        certification.solution_folders,
        certification_entries(
            {
                "PkgAssets/a.zip": CONNECTOR_ZIP,
                "PkgAssets/b.zip": zip_bytes(
                    {k: v for k, v in solution_entries().items() if not k.startswith("Workflows/")}
                ),
            }
        ),
        ["c.zip!/package.zip!/PkgAssets/b.zip"],
        "Workflows",
    ),
    (
        certification.solution_kind,
        certification_entries({"PkgAssets/a.zip": CONNECTOR_ZIP, "PkgAssets/b.zip": NO_CONNECTOR}),
        ["c.zip!/package.zip!/PkgAssets/b.zip"],
        "neither",
    ),
    (
        certification.connector_solution,
        certification_entries({"PkgAssets/a.zip": FLOW_ZIP, "PkgAssets/b.zip": FLOW_ZIP}),
        ["c.zip!/package.zip!/PkgAssets"],
        "no connector solution",
    ),
    (
        certification.flow_solution,
        certification_entries({"PkgAssets/a.zip": CONNECTOR_ZIP, "PkgAssets/b.zip": CONNECTOR_ZIP}),
        ["c.zip!/package.zip!/PkgAssets"],
        "no flow solution",
    ),
    (
        certification.plugin_solution,
        certification_entries(
            {
                "PkgAssets/a.zip": CONNECTOR_ZIP,
                "PkgAssets/b.zip": FLOW_ZIP,
                "PkgAssets/c.zip": zip_bytes(
                    edited(
                        solution_entries(),
                        "customizations.xml",
                        "<Entities />",
                        "<Entities /><aicopilot_aiplugin name='p' />",
                    )
                ),
            }
        ),
        ["c.zip!/package.zip!/PkgAssets"],
        "no plugin solution",
    ),
]


def _package(entries: dict[str, bytes], _swagger: Any) -> Any:
    return certification_package(entries)


def _place(problem: Problem) -> str | None:
    assert problem.file == FileKind.CERTIFICATION
    return problem.path


test_broken_package_is_reported, test_passing_package_is_clean = table_tests(
    FAILING, [(rule, certification_entries()) for rule in certification.RULES], _package, _place
)
