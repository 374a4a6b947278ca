"""diff with solutions on either side: the connector inside a solution zip, an unpacked
solution folder or a certification package is compared like a package folder."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from retarus_connector.cli import main
from retarus_connector.diff.compare import compare
from retarus_connector.diff.io import DiffInputError, load_version

ROOT = Path(__file__).resolve().parents[2]
NAME = "rtrs_5Fretarus-20sms"


def _package() -> tuple[dict[str, Any], dict[str, Any], bytes]:
    swagger = json.loads((ROOT / "apiDefinition.swagger.json").read_text())
    properties = json.loads((ROOT / "apiProperties.json").read_text())["properties"]
    return swagger, properties, (ROOT / "icon.png").read_bytes()


def _customizations(color: str) -> str:
    parts = "".join(
        f"<{kind}>/Connector/{NAME}_{kind}.{ext}</{kind}>"
        for kind, ext in (
            ("openapidefinition", "json"),
            ("connectionparameters", "json"),
            ("policytemplateinstances", "json"),
            ("iconblob", "Png"),
        )
    )
    return (
        "<ImportExportXml><Connectors><Connector>"
        f"<connectorid>0f0e1d2c-3b4a-4958-8776-a5b4c3d2e1f0</connectorid>"
        f"<displayname>Retarus SMS</displayname><iconbrandcolor>{color}</iconbrandcolor>"
        f"<name>{NAME}</name><connectortype>1</connectortype>{parts}"
        "</Connector></Connectors></ImportExportXml>"
    )


def _solution_files(swagger: Any, properties: dict[str, Any], icon: bytes) -> dict[str, bytes]:
    return {
        "customizations.xml": _customizations(properties["iconBrandColor"]).encode(),
        "[Content_Types].xml": b"<Types/>",
        "solution.xml": b"<ImportExportXml><SolutionManifest/></ImportExportXml>",
        f"Connector/{NAME}_openapidefinition.json": json.dumps(swagger).encode(),
        f"Connector/{NAME}_connectionparameters.json": json.dumps(
            properties["connectionParameters"]
        ).encode(),
        f"Connector/{NAME}_policytemplateinstances.json": json.dumps(
            properties.get("policyTemplateInstances")
        ).encode(),
        f"Connector/{NAME}_iconblob.Png": icon,
    }


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _write_zip(path: Path, swagger: Any, properties: dict[str, Any], icon: bytes) -> Path:
    path.write_bytes(_zip(_solution_files(swagger, properties, icon)))
    return path


def _unpacked(folder: Path, swagger: Any, properties: dict[str, Any], icon: bytes) -> Path:
    for name, data in _solution_files(swagger, properties, icon).items():
        if name.startswith("Connector/"):
            name = "Connectors/" + name.split("/", 1)[1]
        elif name == "solution.xml":
            name = "Other/Solution.xml"
        elif name == "customizations.xml":
            name = "Other/Customizations.xml"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_a_solution_zip_is_read_as_the_connector_inside(tmp_path: Path) -> None:
    swagger, properties, icon = _package()
    version = load_version(_write_zip(tmp_path / "s.zip", swagger, properties, icon))
    assert version.swagger.data == swagger
    assert version.swagger.label.endswith(f"s.zip!/Connector/{NAME}_openapidefinition.json")
    assert version.properties is not None
    inner = version.properties.data["properties"]
    assert inner["connectionParameters"] == properties["connectionParameters"]
    assert inner["iconBrandColor"] == properties["iconBrandColor"]
    assert version.icon_bytes == icon
    assert list(compare(swagger, version.swagger.data)) == []


def test_exported_policy_keys_read_as_the_package_spells_them(tmp_path: Path) -> None:
    # Dataverse exports policy instances as TemplateId, Title, Parameters; the package's
    # apiProperties.json says templateId, title, parameters: the same policies, no change
    swagger, properties, icon = _package()
    exported = json.loads(json.dumps(properties))
    exported["policyTemplateInstances"] = [
        {key[0].upper() + key[1:]: value for key, value in instance.items()}
        for instance in properties["policyTemplateInstances"]
    ]
    path = _write_zip(tmp_path / "s.zip", swagger, exported, icon)
    version = load_version(path)
    assert version.properties is not None
    assert (
        version.properties.data["properties"]["policyTemplateInstances"]
        == properties["policyTemplateInstances"]
    )
    result = CliRunner().invoke(main, ["diff", str(ROOT), str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_a_removed_operation_between_two_solution_zips_is_breaking(tmp_path: Path) -> None:
    swagger, properties, icon = _package()
    old = _write_zip(tmp_path / "old.zip", swagger, properties, icon)
    path, item = next(iter(swagger["paths"].items()))
    method = next(key for key in item if key in ("get", "post", "put", "delete", "patch"))
    operation_id = item[method]["operationId"]
    trimmed = json.loads(json.dumps(swagger))
    del trimmed["paths"][path][method]
    new = _write_zip(tmp_path / "new.zip", trimmed, properties, icon)
    result = CliRunner().invoke(main, ["diff", str(old), str(new)], catch_exceptions=False)
    assert result.exit_code == 1
    assert operation_id in result.output


def test_a_package_folder_against_an_unpacked_solution(tmp_path: Path) -> None:
    swagger, properties, icon = _package()
    changed = json.loads(json.dumps(properties))
    first = next(iter(changed["connectionParameters"]))
    changed["connectionParameters"][first]["type"] = "oauthSetting"
    folder = _unpacked(tmp_path / "src", swagger, changed, icon)
    result = CliRunner().invoke(main, ["diff", str(ROOT), str(folder)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert f"{folder}/Connectors/{NAME}_connectionparameters.json" in result.output


def test_a_certification_package_compares_its_connector(tmp_path: Path) -> None:
    swagger, properties, icon = _package()
    solution = _zip(_solution_files(swagger, properties, icon))
    package = _zip({"PkgAssets/a.zip": solution, "PkgAssets/b.zip": solution})
    outer = tmp_path / "cert.zip"
    outer.write_bytes(_zip({"intro.md": b"# x", "package.zip": package}))
    version = load_version(outer)
    assert version.swagger.data == swagger
    assert "cert.zip!/package.zip!/PkgAssets/a.zip!/Connector/" in version.swagger.label


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "not a readable zip"),
        (_zip({"solution.xml": b"<ImportExportXml/>"}), "exactly one custom connector"),
    ],
)
def test_a_solution_without_one_connector_is_bad_input(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "s.zip"
    path.write_bytes(data)
    with pytest.raises(DiffInputError, match=message):
        load_version(path)
    result = CliRunner().invoke(main, ["diff", str(path), str(ROOT)])
    assert result.exit_code == 2
    assert message in result.output
