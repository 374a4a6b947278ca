"""The certification rules (ConnectorPackageValidator.ps1): a broken package each, and the
clean one passing all of them."""

from __future__ import annotations

from typing import Any

import pytest
from solution_samples import (
    certification_entries,
    certification_package,
    connector_entries,
    edited,
    run,
    solution_entries,
    zip_bytes,
)

from retarus_connector.lint.model import FileKind, Rule
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

FAILING: list[tuple[Rule, dict[str, bytes], str, str]] = [
    (
        certification.zip_readable,
        certification_entries(outer={"package.zip": b"not a zip"}),
        "not a readable zip",
        "c.zip!/package.zip",
    ),
    (
        certification.outer_folders,
        certification_entries(outer={"docs/intro.md": b"x"}),
        "folder(s) docs",
        "c.zip",
    ),
    (
        certification.outer_files,
        certification_entries(outer={"notes.md": b"x"}),
        "exactly one *.md",
        "c.zip",
    ),
    (
        certification.outer_files,
        {"package.zip": certification_entries()["package.zip"]},
        "holds 0",
        "c.zip",
    ),
    (
        certification.package_folder,
        certification_entries({"PkgAssets/a.zip": CONNECTOR_ZIP, "Other/b.zip": FLOW_ZIP}),
        "exactly one folder",
        "c.zip!/package.zip",
    ),
    (
        certification.assets_subfolders,
        certification_entries(
            {"PkgAssets/a.zip": CONNECTOR_ZIP, "PkgAssets/b.zip": FLOW_ZIP, "PkgAssets/x/c": b"1"}
        ),
        "subfolders",
        "c.zip!/package.zip!/PkgAssets",
    ),
    (
        certification.assets_zips,
        certification_entries({"PkgAssets/a.zip": CONNECTOR_ZIP}),
        "exactly 2",
        "c.zip!/package.zip!/PkgAssets",
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
        "[content_types].xml",
        "c.zip!/package.zip!/PkgAssets/b.zip",
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
        "Workflows",
        "c.zip!/package.zip!/PkgAssets/b.zip",
    ),
    (
        certification.solution_kind,
        certification_entries({"PkgAssets/a.zip": CONNECTOR_ZIP, "PkgAssets/b.zip": NO_CONNECTOR}),
        "neither",
        "c.zip!/package.zip!/PkgAssets/b.zip",
    ),
    (
        certification.connector_solution,
        certification_entries({"PkgAssets/a.zip": FLOW_ZIP, "PkgAssets/b.zip": FLOW_ZIP}),
        "no connector solution",
        "c.zip!/package.zip!/PkgAssets",
    ),
    (
        certification.flow_solution,
        certification_entries({"PkgAssets/a.zip": CONNECTOR_ZIP, "PkgAssets/b.zip": CONNECTOR_ZIP}),
        "no flow solution",
        "c.zip!/package.zip!/PkgAssets",
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
        "no plugin solution",
        "c.zip!/package.zip!/PkgAssets",
    ),
]


def _ids(cases: list[Any]) -> list[str]:
    return [f"{case[0].id}-{index}" for index, case in enumerate(cases)]


def test_the_clean_package_passes_every_certification_rule() -> None:
    package = certification_package(certification_entries())
    assert {rule.id: run(rule, package) for rule in certification.RULES} == {
        rule.id: [] for rule in certification.RULES
    }


@pytest.mark.parametrize(("rule", "entries", "fragment", "path"), FAILING, ids=_ids(FAILING))
def test_broken_package_is_reported(
    rule: Rule, entries: dict[str, bytes], fragment: str, path: str
) -> None:
    found = run(rule, certification_package(entries))
    assert found, f"{rule.id} reported nothing"
    assert all(problem.file == FileKind.CERTIFICATION for problem in found)
    assert any(fragment in problem.message for problem in found), [p.message for p in found]
    assert path in {problem.path for problem in found}
