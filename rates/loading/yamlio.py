"""Reading one YAML file safely, with the facts the error messages need.

`yaml.safe_load` semantics (no arbitrary objects), plus three things it does not give:
- duplicate keys are problems, not last-wins, since the lost value is usually the one the
  merchant meant;
- the line of every value, by dotted path, so problems can be listed in file order and
  rules can name where they were written;
- the original text of unquoted numbers: `02134` reads as the octal number 1116 and
  `14:00` as 840 (base 60), so a message must quote what was written, not the number.
Files larger than `MAX_BYTES` are refused before parsing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rates.loading.problems import Problem, child

MAX_BYTES = 1_000_000


class PlainInt(int):
    """An int read from an unquoted scalar; `text` is how it was written."""

    text: str


class PlainFloat(float):
    """A float read from an unquoted scalar; `text` is how it was written ("12.50")."""

    text: str


def written(value: object) -> str:
    """How a scalar was written in the file, as far as it can be told."""
    return getattr(value, "text", str(value))


class _Loader(yaml.SafeLoader):
    def construct_plain_int(self, node: yaml.ScalarNode) -> PlainInt:
        value = PlainInt(self.construct_yaml_int(node))
        value.text = node.value
        return value

    def construct_plain_float(self, node: yaml.ScalarNode) -> PlainFloat:
        value = PlainFloat(self.construct_yaml_float(node))
        value.text = node.value
        return value


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_plain_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_plain_float)


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """One file as read. `parsed` is False when it could not be read or parsed (then
    `problems` says why); an empty file is parsed, with `data` None."""

    file: str
    data: Any
    lines: Mapping[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    raw: bytes = b""
    parsed: bool = True


def read_yaml(path: Path, file: str) -> YamlDoc:
    """Read and parse `path`; `file` is the name problems use (relative to the config)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return _unparsed(file, b"", f"cannot read: {error.strerror}")
    if len(raw) > MAX_BYTES:
        return _unparsed(file, raw, f"file is larger than {MAX_BYTES} bytes")
    loader = _Loader(raw.decode("utf-8", errors="replace"))
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        duplicates: list[Problem] = []
        if node is not None:
            _walk(node, "", file, lines, duplicates, set())
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        return _unparsed(file, raw, _syntax(error))
    finally:
        loader.dispose()
    return YamlDoc(file, data, lines, tuple(duplicates), raw)


def _unparsed(file: str, raw: bytes, why: str) -> YamlDoc:
    return YamlDoc(file, None, problems=(Problem(file, "", why),), raw=raw, parsed=False)


def _walk(node: yaml.Node, path: str, file: str, lines: dict[str, int],
          duplicates: list[Problem], seen: set[int]) -> None:
    """Record each value's line and every duplicate key. An aliased node is walked once,
    so a file of nested aliases ("billion laughs") costs no more than its size."""
    if id(node) in seen:
        return
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            key, line = key_node.value, key_node.start_mark.line + 1
            if key in first:
                duplicates.append(Problem(
                    file, child(path, key),
                    f"duplicate key {key!r} (first on line {first[key]}): keep only one",
                    line))
            else:
                first[key] = line
            _walk(value_node, child(path, key), file, lines, duplicates, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, child(path, index), file, lines, duplicates, seen)


def _syntax(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    what = getattr(error, "problem", None) or str(error)
    if mark is None:
        return f"not valid YAML: {what}"
    return f"not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {what}"
