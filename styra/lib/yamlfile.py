"""YAML reading that remembers line numbers, so that every error names its line."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputError, Issue


class LineDict(dict):
    """A mapping from a YAML file; `.line` is its 1-based line, `.key_lines` each key's."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int):
            key = str(key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(path: Path | str):
    """Parse a YAML file into LineDict/LineList; raise InputError with file and line (a
    file that cannot be opened is reported on line 0: unreadable, exit 2)."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Issue(file, 1, "filen är inte UTF-8-kodad", code="encoding")]) from exc
    except OSError as exc:
        raise InputError(
            [Issue(file, 0, f"kan inte läsa filen: {exc.strerror}", code="unreadable")]
        ) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise InputError(
            [Issue(file, line, f"ogiltig YAML: {exc.problem or exc.context}", code="yaml")]
        ) from exc
    except yaml.YAMLError as exc:
        raise InputError([Issue(file, 1, f"ogiltig YAML: {exc}", code="yaml")]) from exc
