"""Compare what the models produce with the files on disk (`build --check`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Difference:
    """One file on disk that does not match what the models produce."""

    name: str
    reason: str
    # a file that could not be read: rebuilding does not help, its permissions need fixing
    unreadable: bool = False

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


def differences(target: Path, files: Mapping[str, bytes]) -> list[Difference]:
    found: list[Difference] = []
    for name, expected in files.items():
        path = target / name
        if not path.is_file():
            found.append(Difference(name, "missing"))
            continue
        try:
            actual = path.read_bytes()
        except OSError as error:
            found.append(
                Difference(name, f"cannot be read ({error.strerror or error})", unreadable=True)
            )
            continue
        if actual != expected:
            found.append(Difference(name, _describe(actual, expected)))
    return found


def _describe(actual: bytes, expected: bytes) -> str:
    """Where a text file first departs from the generated one; binary files just differ."""
    try:
        actual_lines = actual.decode("utf-8").splitlines()
        expected_lines = expected.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return "differs from what the models produce"
    for number, (have, want) in enumerate(zip(actual_lines, expected_lines, strict=False), 1):
        if have != want:
            return f"differs from what the models produce, first at line {number}"
    return "differs from what the models produce, in its length or line ends"
