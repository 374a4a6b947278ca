"""The certification package a verified publisher uploads: the rules of Microsoft's
ConnectorPackageValidator.ps1 (reference section 6), reported as findings, so the exit status
fails where the script prints an error and exits 0.

Rules 1, 2 and 4 of the script are about how it is called (a Windows drive path, the
`-isPluginEnabled` flag) and have no counterpart here; rule 3 (a `.zip` file) is how the linter
recognises the package. Plugin mode is taken from the content: it is on when a solution in the
package holds an `aicopilot_aiplugin`.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType
from typing import TYPE_CHECKING

from retarus_connector.lint.model import Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._solution import CERTIFICATION, certification_of, in_file

if TYPE_CHECKING:
    from retarus_connector.lint.solutions.model import Certification, Solution

_NEEDS = (CERTIFICATION,)
_ROOT_FILES = ("[content_types].xml", "customizations.xml", "solution.xml")
# what the finding of each kind's rule says when the package holds no solution of that kind
_NONE_OF_KIND = MappingProxyType(
    {
        "connector": "The package holds no connector solution (a solution with a <Connector> and no workflows).",
        "flow": "The package holds no flow solution (a solution with a <Connector> and workflows).",
        "plugin": "The package holds an AI plugin but no plugin solution (a <Connector> and the plugin, no workflows).",
    }
)


def _problem(
    certification: Certification, entry: str | None, message: str, *, package_level: bool = False
) -> Problem:
    package = certification.package if package_level else None
    tree = package if package is not None else certification.tree
    return in_file(tree, entry, message, CERTIFICATION)


def _not_one(holder: str, what: str, found: list[str]) -> str:
    """The message for a zip that holds other than exactly one `what`."""
    shown = ", ".join(found) or "none"
    return f"The {holder} must hold exactly one {what}; it holds {len(found)} ({shown})."


def _lacking(package: Package, kind: str) -> Iterator[Problem]:
    """A finding at the package's folder when none of its solutions is of that kind."""
    certification = certification_of(package)
    if certification is None or certification.assets_folder is None:
        return
    if kind not in _kinds(certification):
        message = _NONE_OF_KIND[kind]
        yield _problem(certification, certification.assets_folder, message, package_level=True)


@rule("certification-zip", Severity.ERROR, needs=_NEEDS)
def zip_readable(package: Package) -> Iterator[Problem]:
    """The outer zip and the package zip are readable and safe.

    What: the archive checks of `solution-zip-invalid`, `solution-zip-unsafe` and
    `solution-zip-limits`, applied to the two outer levels of the package.
    Why: the validator and the certification portal extract both; a broken or hostile archive
    stops them.
    Fix: build the package again from clean folders.
    """
    certification = certification_of(package)
    if certification is None:
        return
    for tree in (certification.tree, certification.package):
        if tree is None:
            continue
        for issue in tree.issues:
            yield in_file(tree, None, f"The archive {issue.message}.", CERTIFICATION)


@rule("certification-outer-folders", Severity.ERROR, needs=_NEEDS)
def outer_folders(package: Package) -> Iterator[Problem]:
    """The outer zip holds no folders (validator rule 6).

    What: only files at the root of the outer zip: the intro.md and the package zip.
    Why: ConnectorPackageValidator.ps1 fails the package when the extracted root has a folder.
    Fix: zip the two files themselves, not the folder that holds them.
    """
    certification = certification_of(package)
    if certification is None:
        return
    folders = certification.tree.root_folders()
    if folders:
        yield _problem(
            certification,
            None,
            f"The outer zip holds the folder(s) {', '.join(folders)}; it must hold only intro.md and the package zip.",
        )


@rule("certification-outer-files", Severity.ERROR, needs=_NEEDS)
def outer_files(package: Package) -> Iterator[Problem]:
    """The outer zip holds exactly one `.md` file and exactly one `.zip` file (validator rule 7).

    What: the `.md` (conventionally intro.md) describes the submission; the `.zip` is the
    package. Names are compared without letter case, as on Windows.
    Why: the validator fails otherwise, and fails silently when there are too many.
    Fix: keep one intro.md and one package zip at the root of the outer zip.
    """
    certification = certification_of(package)
    if certification is None:
        return
    for extension, what in ((".md", "intro.md"), (".zip", "package zip")):
        found = certification.root_files(extension)
        if len(found) != 1:
            yield _problem(
                certification, None, _not_one("outer zip", f"*{extension} ({what})", found)
            )


@rule("certification-package-folder", Severity.ERROR, needs=_NEEDS)
def package_folder(package: Package) -> Iterator[Problem]:
    """The package zip holds exactly one folder, conventionally `PkgAssets` (validator rule 9).

    What: the folder that holds the solution zips; loose files beside it (a Package Deployer
    build's dll and xml) are allowed.
    Why: the validator fails with no folder, and silently with more than one.
    Fix: put the solution zips into one folder `PkgAssets` inside the package zip.
    """
    certification = certification_of(package)
    if certification is None or certification.package is None:
        return
    if any(issue.entry is None for issue in certification.package.issues):
        return  # certification-zip reports an unreadable package
    folders = certification.package.root_folders()
    if len(folders) != 1:
        message = _not_one("package zip", "folder (PkgAssets)", folders)
        yield _problem(certification, None, message, package_level=True)


@rule("certification-assets-subfolders", Severity.ERROR, needs=_NEEDS)
def assets_subfolders(package: Package) -> Iterator[Problem]:
    """The package's folder holds no subfolders (validator rule 10).

    What: `PkgAssets/` holds the solution zips directly.
    Why: the validator fails when the folder has subfolders.
    Fix: move the solution zips up into the folder and remove the subfolders.
    """
    certification = certification_of(package)
    folder = certification.assets_folder if certification is not None else None
    if certification is None or folder is None or certification.package is None:
        return
    inner = sorted(
        {name for name in certification.package.folders if name.startswith(folder + "/")}
    )
    if inner:
        yield _problem(
            certification,
            folder,
            f"The folder {folder} holds subfolders ({', '.join(inner)}); it must hold only the solution zips.",
            package_level=True,
        )


def _plugin_enabled(certification: Certification) -> bool:
    return any(_has(solution, "aicopilot_aiplugin") for _, solution in certification.solutions())


def _has(solution: Solution, name: str) -> bool:
    """Whether customizations.xml has a filled element of that name, as the validator asks."""
    root = solution.xml_root(solution.tree.find("customizations.xml"))
    if root is None:
        return False
    if root.name.lower() == name.lower() and root.filled:
        return True
    return any(element.filled for element in root.descendants(name))


@rule("certification-assets-zips", Severity.ERROR, needs=_NEEDS)
def assets_zips(package: Package) -> Iterator[Problem]:
    """The package's folder holds exactly two solution zips, or three with an AI plugin (rule 11).

    What: the connector solution and the flow solution, plus the AI plugin solution when a
    solution holds an `aicopilot_aiplugin` (the validator's `-isPluginEnabled y`).
    Why: the validator counts the `*.zip` files in the folder and fails on any other number.
    Fix: put exactly those solution zips in the folder.
    """
    certification = certification_of(package)
    folder = certification.assets_folder if certification is not None else None
    if certification is None or folder is None:
        return
    zips = certification.asset_zips()
    wanted = 3 if _plugin_enabled(certification) else 2
    if len(zips) != wanted:
        yield _problem(
            certification,
            folder,
            f"The folder {folder} must hold exactly {wanted} solution zips; it holds {len(zips)}.",
            package_level=True,
        )


@rule("certification-solution-files", Severity.ERROR, needs=_NEEDS)
def solution_files(package: Package) -> Iterator[Problem]:
    """Each solution zip has `[Content_Types].xml`, `customizations.xml` and `solution.xml` at its
    root, and its customizations.xml reads as XML (validator rules 12 and 13).

    What: the three files the validator looks for in each extracted solution.
    Why: the validator fails without them, and stops with "Internal issue" when
    customizations.xml is no XML.
    Fix: export the solutions from Dataverse rather than zipping them by hand.
    """
    certification = certification_of(package)
    if certification is None:
        return
    for _, solution in certification.solutions():
        if any(issue.entry is None for issue in solution.tree.issues):
            yield in_file(solution.tree, None, "The solution zip cannot be read.", CERTIFICATION)
            continue
        roots = {name.lower() for name in solution.tree.root_files()}
        missing = [name for name in _ROOT_FILES if name not in roots]
        if missing:
            yield in_file(
                solution.tree,
                None,
                f"The solution zip lacks {', '.join(missing)} at its root.",
                CERTIFICATION,
            )
        entry = solution.tree.find("customizations.xml")
        document = solution.xml(entry)
        if entry is not None and document is not None and document.root is None:
            yield in_file(
                solution.tree,
                entry,
                "customizations.xml cannot be read as XML; the validator stops with 'Internal issue'.",
                CERTIFICATION,
            )


@rule("certification-solution-folders", Severity.ERROR, needs=_NEEDS)
def solution_folders(package: Package) -> Iterator[Problem]:
    """Each solution zip has the folders its components need (validator rules 14 to 16).

    What: a solution with a `<Connector>` has a `Connector/` folder; one with `<Workflows>`
    content has `Connector/` and `Workflows/`; one with an `aicopilot_aiplugin` has
    `Connector/`, `aiplugins/` and `aipluginoperations/`.
    Why: the validator fails when a folder is missing; so a flow solution must carry the
    connector too.
    Fix: add the connector to the flow solution (and the plugin's parts to the plugin solution).
    """
    certification = certification_of(package)
    if certification is None:
        return
    for _, solution in certification.solutions():
        folders = {name.lower() for name in solution.tree.root_folders()}
        wanted: list[str] = []
        if _has(solution, "Connector"):
            wanted.append("Connector")
        if _has(solution, "Workflows"):
            wanted += ["Connector", "Workflows"]
        if _has(solution, "aicopilot_aiplugin"):
            wanted += ["Connector", "aiplugins", "aipluginoperations"]
        missing = sorted({name for name in wanted if name.lower() not in folders})
        if missing:
            yield in_file(
                solution.tree,
                None,
                f"The solution zip lacks the folder(s) {', '.join(missing)} that its customizations.xml calls for.",
                CERTIFICATION,
            )


def _kind(solution: Solution) -> str | None:
    connector = _has(solution, "Connector")
    workflows = _has(solution, "Workflows")
    plugin = _has(solution, "aicopilot_aiplugin")
    if connector and not workflows and not plugin:
        return "connector"
    if connector and workflows and not plugin:
        return "flow"
    if connector and not workflows and plugin:
        return "plugin"
    return None


@rule("certification-solution-kind", Severity.ERROR, needs=_NEEDS)
def solution_kind(package: Package) -> Iterator[Problem]:
    """Each solution zip is a connector, flow or AI plugin solution (validator rule 17).

    What: a connector solution has a `<Connector>` and no workflows; a flow solution has both; a
    plugin solution has a `<Connector>` and an `aicopilot_aiplugin`. A solution without
    `<Connector>`, or with workflows and a plugin, is none of them.
    Why: the validator classifies each zip this way; a zip of no kind counts for nothing.
    Fix: put the connector into every solution of the package, and flows and plugins apart.
    """
    certification = certification_of(package)
    if certification is None:
        return
    for _, solution in certification.solutions():
        if solution.tree.names and _kind(solution) is None:
            yield in_file(
                solution.tree,
                None,
                "The solution zip is neither a connector solution (a <Connector>, no workflows), a flow solution (a <Connector> and workflows) nor a plugin solution.",
                CERTIFICATION,
            )


def _kinds(certification: Certification) -> set[str | None]:
    return {_kind(solution) for _, solution in certification.solutions()}


@rule("certification-connector-solution", Severity.ERROR, needs=_NEEDS)
def connector_solution(package: Package) -> Iterator[Problem]:
    """The package holds a connector solution (validator rule 18).

    What: a solution zip whose customizations.xml has a `<Connector>` and no workflows.
    Why: the validator fails with "Connector solution should only contain 'Connector' folder".
    Fix: add the connector solution zip to the package's folder.
    """
    yield from _lacking(package, "connector")


@rule("certification-flow-solution", Severity.ERROR, needs=_NEEDS)
def flow_solution(package: Package) -> Iterator[Problem]:
    """The package holds a flow solution (validator rule 19).

    What: a solution zip whose customizations.xml has a `<Connector>` and workflows.
    Why: certification requires a working flow; the validator fails without it.
    Fix: add a flow solution, carrying the connector too, to the package's folder.
    """
    yield from _lacking(package, "flow")


@rule("certification-plugin-solution", Severity.ERROR, needs=_NEEDS)
def plugin_solution(package: Package) -> Iterator[Problem]:
    """An AI-enabled package holds a plugin solution (validator rule 20).

    What: when a solution holds an `aicopilot_aiplugin`, one solution must be the plugin
    solution (a `<Connector>` and the plugin, no workflows).
    Why: the validator with `-isPluginEnabled y` fails without it.
    Fix: export the AI plugin in a solution of its own, with the connector.
    """
    certification = certification_of(package)
    if certification is not None and _plugin_enabled(certification):
        yield from _lacking(package, "plugin")


RULES: tuple[Rule, ...] = (
    zip_readable,
    outer_folders,
    outer_files,
    package_folder,
    assets_subfolders,
    assets_zips,
    solution_files,
    solution_folders,
    solution_kind,
    connector_solution,
    flow_solution,
    plugin_solution,
)
