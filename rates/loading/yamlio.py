"""Reading one YAML file safely, with the facts the error messages need.

`yaml.safe_load` semantics (no arbitrary objects), plus what it does not give:
- duplicate keys are problems, not last-wins, since the lost value is usually the one the
  merchant meant;
- the line and column of every value and of every key, by dotted path, so a problem can
  point at the exact spot and rules can name where they were written;
- the original text of unquoted numbers: `02134` reads as the octal number 1116 and
  `14:00` as 840 (base 60), so a message must quote what was written, not the number;
- hostile input is refused before anything walks it, in time and memory bounded by the
  size cap: at most `MAX_BYTES` are ever read; nesting deeper than `MAX_DEPTH` is found in
  the parser's events, before the recursive composer could overflow the stack; aliases
  that expand to more than `MAX_VALUES` values ("billion laughs") or refer to themselves
  are measured on the node graph, each shared node once, before the document is built;
  numbers longer than `MAX_DIGITS` are refused (Python will not convert 4300 digits);
- a file that is not UTF-8 (Latin-1 "Caf\\xe9", a UTF-16 export) is refused at its first
  bad byte rather than read with replacement characters that would be served as names. A
  UTF-8 byte order mark, which some Windows editors write, is accepted and dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import yaml

from rates.loading.checks import Check
from rates.loading.problems import Problem, ancestors, child

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_VALUES = 250_000
MAX_DIGITS = 100


class Position(NamedTuple):
    """Where something starts in a file; both count from 1. A tuple: a file of a thousand
    rules has some 20,000 values, each with its position."""

    line: int
    column: int


class PlainInt(int):
    """An int read from an unquoted scalar; `text` is how it was written."""

    text: str


class PlainFloat(float):
    """A float read from an unquoted scalar; `text` is how it was written ("12.50")."""

    text: str


def plain(value: Any) -> Any:
    """`value` with each `PlainFloat` a float: what the same document sent as JSON would
    be, for readers that go by exact type (a rule test's inline cart meets the request
    decoder, which takes a float and refuses its subclasses)."""
    if isinstance(value, PlainFloat):
        return float(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def written(value: object) -> str:
    """How a scalar was written in the file, as far as it can be told."""
    return getattr(value, "text", str(value))


class _Mark(Protocol):
    """Where a parser is, counted from 0: PyYAML's and libyaml's marks both say."""

    line: int
    column: int


class _Refused(Exception):
    """Hostile input, found while reading: the file is refused with `why`, at `mark`."""

    def __init__(self, why: str, mark: _Mark | None) -> None:
        super().__init__(why)
        self.why = why
        self.mark = mark


class _Constructor(yaml.constructor.SafeConstructor):
    """`yaml.safe_load`'s constructor, keeping how numbers were written and refusing
    numbers too long to convert."""

    def construct_plain_int(self, node: yaml.ScalarNode) -> PlainInt:
        if len(node.value) > MAX_DIGITS:
            raise _Refused(f"a number of {len(node.value)} digits: quote it if it is text",
                           node.start_mark)
        value = PlainInt(self.construct_yaml_int(node))
        value.text = node.value
        return value

    def construct_plain_float(self, node: yaml.ScalarNode) -> PlainFloat:
        value = PlainFloat(self.construct_yaml_float(node))
        value.text = node.value
        return value

    def construct_checked_timestamp(self, node: yaml.ScalarNode) -> Any:
        """PyYAML raises a bare ValueError for a date that looks right but does not exist
        (2026-11-31); make it a YAML error at the value, reported like any other."""
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a real date or time ({error})",
                node.start_mark) from None


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
              yaml.composer.Composer, _Constructor, yaml.resolver.Resolver):
    """PyYAML's pure-Python loader: used where libyaml is missing, and for the words of
    a syntax error (libyaml's are terser)."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        # This scanner reads a whole run of "[[[[..." ahead, as Python objects, before
        # the parser sees the first event, so flow nesting is stopped here, as scanned.
        if self.flow_level >= MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", self.get_mark())
        super().fetch_flow_collection_start(TokenClass)


_FAST: type[Any] = _Loader
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _CLoader(CParser, _Constructor, yaml.resolver.Resolver):
        """libyaml's parser and composer (ten times faster) with the same constructor."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Constructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _FAST = _CLoader

_LOADERS: dict[type[Any], None] = dict.fromkeys((_Loader, _FAST))  # one if no libyaml
for _loader in _LOADERS:
    _loader.add_constructor("tag:yaml.org,2002:timestamp",
                            _Constructor.construct_checked_timestamp)
    _loader.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_plain_int)
    _loader.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_plain_float)

_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)


def _refuse_deep(loader: Any) -> bool:
    """Refuse nesting deeper than `MAX_DEPTH` from the parser's events, before any
    composer (recursive, in C or Python) walks it. Returns whether the text has aliases:
    without any, its nodes are a tree no larger than the text, and need no measuring."""
    depth = 0
    aliases = False
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, _NODE_EVENTS) and depth >= MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases = True
    finally:
        loader.dispose()
    return aliases


def _parse(text: str, loader_class: type[Any]) -> tuple[Any, _Shape]:
    """The document and its shape, read with `loader_class`; raises `_Refused` or a
    `yaml.YAMLError`."""
    aliases = _refuse_deep(loader_class(text))
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        shape = _Shape()
        data = None
        if node is not None:
            if aliases:
                _measure(node)
            shape.walk(node, "", set())
            data = loader.construct_document(node)
        return data, shape
    finally:
        loader.dispose()


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """One file as read. `parsed` is False when it could not be read or parsed (then
    `problems` says why); an empty file is parsed, with `data` None.

    `positions` holds where each value starts and `keys` where each mapping key does, by
    dotted path; `lines` is the line of each value, as `positions` gives it."""

    file: str
    data: Any
    lines: Mapping[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    raw: bytes = b""
    parsed: bool = True
    positions: Mapping[str, Position] = field(default_factory=dict)
    keys: Mapping[str, Position] = field(default_factory=dict)
    text: tuple[str, ...] = ()
    """The decoded lines of the file, for excerpts."""

    @property
    def top(self) -> Mapping[str, Any]:
        """The top-level mapping as written (empty if the file is not one)."""
        return self.data if isinstance(self.data, Mapping) else {}

    def position(self, path: str, *, at_key: bool = False) -> Position | None:
        """Where `path` starts (its key, if `at_key` and it has one); for a path that is
        not in the file (a missing key), the key, else the value, of its nearest ancestor.
        None only for an empty or unread file."""
        if at_key and path in self.keys:
            return self.keys[path]
        if path in self.positions:
            return self.positions[path]
        for outer in ancestors(path):
            found = self.keys.get(outer) or self.positions.get(outer)
            if found:
                return found
        return None

    def problem(self, path: str, message: str, check: Check, *,
                at_key: bool = False) -> Problem:
        """A problem about `path` in this file, placed as `position` says."""
        return self.problem_at(self.position(path, at_key=at_key), path, message, check)

    def problem_at(self, where: Position | None, path: str, message: str,
                   check: Check) -> Problem:
        """A problem at `where`, with the text of its line for the excerpt."""
        if where is None:
            return Problem(self.file, path, message, check_id=check)
        source = self.text[where.line - 1] if where.line <= len(self.text) else ""
        return Problem(self.file, path, message, where.line, where.column, check, source)


def read_yaml(path: Path, file: str) -> YamlDoc:
    """Read and parse `path`; `file` is the name problems use (relative to the config)."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        return _unparsed(file, b"", f"cannot read: {error.strerror}", Check.MISSING_FILE)
    if len(raw) > MAX_BYTES:
        return _unparsed(file, b"", f"file is larger than {MAX_BYTES} bytes",
                         Check.HOSTILE_INPUT)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _not_utf8(file, raw, error)
    try:
        try:
            data, shape = _parse(text, _FAST)
        except yaml.YAMLError:
            if _FAST is _Loader:
                raise
            data, shape = _parse(text, _Loader)  # for its words, or if it reads the file
    except _Refused as hostile:
        return _unparsed(file, raw, hostile.why, Check.HOSTILE_INPUT, _position(hostile.mark),
                         text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        what = getattr(error, "problem", None) or str(error)
        return _unparsed(file, raw, f"not valid YAML: {what}", Check.YAML_SYNTAX,
                         _position(mark), text)
    lines = {path: where.line for path, where in shape.positions.items()}
    doc = YamlDoc(file, data, lines, raw=raw, positions=shape.positions, keys=shape.keys,
                  text=tuple(text.splitlines()))
    return replace(doc, problems=tuple(
        doc.problem_at(where, path, message, Check.DUPLICATE_KEY)
        for where, path, message in shape.duplicates))


def _unparsed(file: str, raw: bytes, why: str, check: Check, where: Position | None = None,
              text: str = "") -> YamlDoc:
    doc = YamlDoc(file, None, raw=raw, parsed=False, text=tuple(text.splitlines()))
    return replace(doc, problems=(doc.problem_at(where, "", why, check),))


def _position(mark: _Mark | None) -> Position | None:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else None


_OTHER_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
               (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _not_utf8(file: str, raw: bytes, error: UnicodeDecodeError) -> YamlDoc:
    """The file refused at its first byte that is not UTF-8, placed (line and column, in
    characters) by the valid text before it, its lines split as the excerpt's are; the
    excerpt shows that byte as U+FFFD."""
    lines = (raw[:error.start].decode("utf-8-sig") + "\ufffd").splitlines()
    bom = next((name for mark, name in _OTHER_BOMS if raw.startswith(mark)), None)
    why = (f"it starts with a {bom} byte order mark" if bom else
           f"byte 0x{raw[error.start]:02x}: {error.reason}")
    text = raw.decode("utf-8-sig", errors="replace")
    return _unparsed(file, raw, f"not UTF-8 ({why}): save the file as UTF-8", Check.ENCODING,
                     Position(len(lines), len(lines[-1])), text)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _measure(root: yaml.Node) -> None:
    """Refuse a node graph whose aliases expand it beyond `MAX_VALUES` values or
    `MAX_DEPTH` levels, or make it contain itself. Iterative, and each shared node is
    measured once, so this costs no more than the file's size, however much it expands."""
    measured: dict[int, tuple[int, int]] = {}  # id -> (values, depth) once expanded
    open_: set[int] = set()  # nodes being measured: the path from the root to here
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        if id(node) in measured:
            continue
        kids = _children(node)
        if not finished:
            open_.add(id(node))
            stack.append((node, True))
            for kid in kids:
                if id(kid) in open_:
                    raise _Refused("an alias refers to the collection that contains it",
                                   kid.start_mark)
                stack.append((kid, False))
            continue
        open_.discard(id(node))
        values = 1 + sum(measured[id(kid)][0] for kid in kids)
        depth = 1 + max((measured[id(kid)][1] for kid in kids), default=0)
        if values > MAX_VALUES:
            raise _Refused(f"more than {MAX_VALUES} values, aliases expanded",
                           node.start_mark)
        if depth > MAX_DEPTH:
            raise _Refused(f"aliases nest this more than {MAX_DEPTH} levels deep",
                           node.start_mark)
        measured[id(node)] = (values, depth)


class _Shape:
    """Positions of values and keys by path, and duplicate keys, from the node tree. An
    aliased node is walked once, at its first path."""

    def __init__(self) -> None:
        self.positions: dict[str, Position] = {}
        self.keys: dict[str, Position] = {}
        self.duplicates: list[tuple[Position, str, str]] = []

    def walk(self, node: yaml.Node, path: str, seen: set[int]) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        self.positions[path] = _start(node)
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                    continue
                key, where = key_node.value, _start(key_node)
                if key in first:
                    self.duplicates.append((where, child(path, key), (
                        f"duplicate key {key!r} (first on line {first[key]}): keep only one")))
                else:
                    first[key] = where.line
                    self.keys[child(path, key)] = where
                self.walk(value_node, child(path, key), seen)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, child(path, index), seen)


def _start(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)
