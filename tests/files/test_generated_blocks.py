"""Replacing a generated block keeps everything around it byte for byte."""

from __future__ import annotations

import pytest

from retarus_connector.files.blocks import (
    GeneratedBlockError,
    begin_marker,
    end_marker,
    generated_block,
    replace_generated_block,
)

BEGIN, END = begin_marker("demo"), end_marker("demo")
TEXT = f"# Title\r\nintro  \n\n{BEGIN}\nold line\nold 2\n{END}\n\n## After\ntail"


def test_replaces_only_between_the_markers() -> None:
    result = replace_generated_block(TEXT, "demo", "new content", source="README.md")
    assert result == f"# Title\r\nintro  \n\n{BEGIN}\nnew content\n{END}\n\n## After\ntail"
    assert generated_block(result, "demo", source="README.md") == "new content\n"


def test_replacing_twice_is_stable_and_empty_content_is_allowed() -> None:
    once = replace_generated_block(TEXT, "demo", "x\n", source="f")
    assert replace_generated_block(once, "demo", "x\n", source="f") == once
    empty = replace_generated_block(TEXT, "demo", "", source="f")
    assert f"{BEGIN}\n{END}" in empty


def test_other_blocks_are_untouched() -> None:
    other = f"{begin_marker('other')}\nkeep\n{end_marker('other')}\n"
    result = replace_generated_block(other + TEXT, "demo", "y", source="f")
    assert result.startswith(other)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no markers at all\n", "not found"),
        (f"{BEGIN}\nonly begin\n", "not found"),
        (f"{END}\nx\n{BEGIN}\n", "END marker comes before"),
        (f"{BEGIN}\n{BEGIN}\n{END}\n", "appears 2 times"),
    ],
)
def test_broken_markers_name_the_file_and_block(text: str, problem: str) -> None:
    with pytest.raises(GeneratedBlockError, match=problem) as caught:
        replace_generated_block(text, "demo", "z", source="docs/README.md")
    assert str(caught.value).startswith("docs/README.md: generated block 'demo'")


def test_markers_inside_a_line_do_not_count() -> None:
    inline = f"see `{BEGIN}` and `{END}`\n"
    with pytest.raises(GeneratedBlockError):
        replace_generated_block(inline, "demo", "z", source="f")
