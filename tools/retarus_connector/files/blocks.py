"""Generated blocks inside hand-written text files.

A block is the lines between `<!-- BEGIN GENERATED: name -->` and
`<!-- END GENERATED: name -->`; everything outside the markers belongs to people and is kept
byte for byte. Any generator can reuse this for its own block name.
"""

from __future__ import annotations


class GeneratedBlockError(ValueError):
    """The markers of a block are missing, repeated or out of order in a file."""

    def __init__(self, source: str, block: str, problem: str) -> None:
        super().__init__(f"{source}: generated block {block!r}: {problem}")
        self.source = source
        self.block = block


def begin_marker(block: str) -> str:
    return f"<!-- BEGIN GENERATED: {block} -->"


def end_marker(block: str) -> str:
    return f"<!-- END GENERATED: {block} -->"


def replace_generated_block(text: str, block: str, content: str, *, source: str) -> str:
    """`text` with the lines between the block's markers replaced by `content`.

    `source` names the file in errors. The markers must each stand on a line of their own,
    once, begin before end."""
    lines = text.splitlines(keepends=True)
    begin, end = _marker_lines(lines, block, source)
    body = content if content.endswith("\n") or not content else content + "\n"
    before = "".join(lines[: begin + 1])
    if not before.endswith("\n"):
        before += "\n"
    return before + body + "".join(lines[end:])


def generated_block(text: str, block: str, *, source: str) -> str:
    """The current content of a block."""
    lines = text.splitlines(keepends=True)
    begin, end = _marker_lines(lines, block, source)
    return "".join(lines[begin + 1 : end])


def _marker_lines(lines: list[str], block: str, source: str) -> tuple[int, int]:
    """The indexes of the block's BEGIN and END marker lines."""
    begin = _marker_line(lines, begin_marker(block), source, block)
    end = _marker_line(lines, end_marker(block), source, block)
    if end < begin:
        raise GeneratedBlockError(source, block, "the END marker comes before the BEGIN marker")
    return begin, end


def _marker_line(lines: list[str], marker: str, source: str, block: str) -> int:
    found = [index for index, line in enumerate(lines) if line.strip() == marker]
    if not found:
        raise GeneratedBlockError(source, block, f"marker line {marker!r} not found")
    if len(found) > 1:
        raise GeneratedBlockError(
            source, block, f"marker line {marker!r} appears {len(found)} times"
        )
    return found[0]
