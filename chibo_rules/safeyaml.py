"""YAML as data only: safe tags, no aliases, bounded nesting, no key twice — parsed by libyaml when present.

`yaml.safe_load` already refuses tags that build objects. Two more things can hurt a checker fed
someone's file: aliases (a few lines of `&a [*a, *a, …]` expand to billions of nodes) and very deep
nesting (PyYAML's composer recurses). Both are refused with a marked error, like a syntax error.
The C loader matters for start-up: the 49 bundled rule files take 0.45 s in pure Python.

Three YAML 1.1 habits would make a YAML file say something other than the same text in a CSV cell, so
values are read as typed instead: a date that does not exist (`2020-04-31`, `2020-13-01`) or is not
written yyyy-mm-dd stays text (PyYAML raised ValueError, a traceback), so the date parser refuses it as it
refuses the CSV cell; a "sexagesimal" number (`25:30`, YAML 1.1 for 1530) stays text; an integer too long
to be a count (thousands of digits: Python refuses to convert it) stays text, refused by the number
parser. A scalar with an explicit tag that does not fit it (`!!bool maybe`) is a marked error.

A number that is not finite (`.inf`, `-.inf`, `.nan`, or a float too large such as `1.0e+999`) can be no
target, parameter or value to compare: `not_finite` finds each in a node tree, for the readers of rule, plan
and kind files to refuse where it is written. (Fact files refuse it through their value parsers.)

A key given twice in one mapping is refused too (YAML keeps the last silently, so a record would lose a
value): `load` raises DuplicateKeyError naming every such key and its line, or hands them to the caller,
who reports each as a problem of its file (case.py, declarations.py).

The node tree of a large file is hundreds of thousands of small objects: the cyclic collector is paused
while it is built (it re-scanned them all, again and again: 7× slower).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, cast

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from .gcpause import gc_paused

MAX_DEPTH = 50
MAX_NUMBER = 100  # characters of an integer read as a number; longer stays text (and is refused as a number)
LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TAG = "tag:yaml.org,2002:"
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class Loader(LOADER):
    """The safe loader, reading dates, sexagesimal and overlong numbers as typed (see the module's doc)."""


def _date(loader: Any, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node)
    match = _DATE.fullmatch(text)
    if match is None:
        return text  # 2020-9-5, or a time of day: what a CSV cell would hold
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return text


def _int(loader: Any, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node)
    if ":" in text or len(text) > MAX_NUMBER:
        return text
    try:
        return SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:
        return text


def _float(loader: Any, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node)
    return text if ":" in text else SafeConstructor.construct_yaml_float(loader, node)


def _marked(construct: Any) -> Any:
    """A scalar constructor whose failure (`!!bool maybe`, `!!float x`) is a marked YAML error."""
    def constructor(loader: Any, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            raise ConstructorError(None, None, f"cannot read {node.tag.removeprefix(TAG)} value {node.value!r}: "
                                   f"{exc}", node.start_mark) from None
    return constructor


Loader.add_constructor(TAG + "timestamp", _date)
Loader.add_constructor(TAG + "int", _int)
Loader.add_constructor(TAG + "float", _float)
for _name in ("timestamp", "int", "float", "bool", "null", "str", "binary"):
    Loader.add_constructor(TAG + _name, _marked(Loader.yaml_constructors[TAG + _name]))
_KEYS = SafeConstructor()  # reads keys alone, to compare them as the loader does (`yes` = `true`)


@dataclass(frozen=True)
class DuplicateKey:
    """A key given again in the same mapping: its path of keys (sequence indexes as text), its line and the
    line of its first occurrence."""

    path: tuple[str, ...]
    line: int
    first: int
    mark: Any = field(default=None, compare=False, repr=False)


class DuplicateKeyError(yaml.MarkedYAMLError):
    def __init__(self, duplicates: list[DuplicateKey]):
        first = duplicates[0]
        super().__init__(problem=f"the key '{first.path[-1]}' is given twice (first on line {first.first})",
                         problem_mark=first.mark)
        self.duplicates = duplicates


def _mark(event: yaml.Event) -> yaml.Mark:
    """Where an event starts; the C parser's mark (yaml._yaml.Mark) has the same fields as the Python one."""
    return cast(yaml.Mark, event.start_mark)


def _check_events(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed", problem_mark=_mark(event))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(problem=f"nested deeper than {MAX_DEPTH} levels",
                                           problem_mark=_mark(event))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _key(node: yaml.ScalarNode) -> Any:
    """A key as the loader makes it, so keys the mapping would merge are found equal."""
    if node.tag == TAG + "str":
        return node.value
    construct = Loader.yaml_constructors.get(node.tag)
    try:
        return construct(_KEYS, node) if construct else (node.tag, node.value)
    except Exception:  # an unreadable key is reported when the document is constructed
        return (node.tag, node.value)


def duplicate_keys(root: yaml.Node | None) -> list[DuplicateKey]:
    """Every key given twice in one mapping, in the order of the file (merge keys `<<` aside)."""
    found = []
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(root, ())] if root is not None else []
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                if isinstance(key, yaml.ScalarNode) and key.tag != TAG + "merge":
                    line, ident = key.start_mark.line + 1, _key(key)
                    try:
                        if ident in seen:
                            found.append(DuplicateKey((*path, name), line, seen[ident], key.start_mark))
                        else:
                            seen[ident] = line
                    except TypeError:  # an unhashable key: refused when the document is constructed
                        pass
                stack.append((value, (*path, name)))
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, (*path, str(i))) for i, item in enumerate(node.value)]
    return sorted(found, key=lambda d: (d.line, d.mark.column if d.mark else 0))


@dataclass(frozen=True)
class NotFinite:
    """A float that is not finite, as written: its path of keys (sequence indexes as text), line and text."""

    path: tuple[str, ...]
    line: int
    text: str


def not_finite(root: yaml.Node | None) -> list[NotFinite]:
    """Every scalar the loader reads as an infinite or undefined float, in the order of the file."""
    found = []
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(root, ())] if root is not None else []
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += [(value, (*path, str(key.value) if isinstance(key, yaml.ScalarNode) else "?"))
                      for key, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, (*path, str(i))) for i, item in enumerate(node.value)]
        elif isinstance(node, yaml.ScalarNode) and node.tag == TAG + "float" and ":" not in node.value:
            try:
                number = _KEYS.construct_yaml_float(node)
            except (ValueError, TypeError, OverflowError):  # unreadable: the loader reports it
                continue
            if not math.isfinite(number):
                found.append(NotFinite(path, node.start_mark.line + 1, node.value))
    return sorted(found, key=lambda f: f.line)


def load(text: str, with_node: bool = False,
         duplicates: list[DuplicateKey] | None = None) -> tuple[Any, yaml.Node | None]:
    """The data of one YAML document and, when asked, its node tree (for line numbers). A key given twice
    in a mapping raises DuplicateKeyError, unless `duplicates` is given: they are added to it (the last
    value of such a key is then the one kept) for the caller to report with the rest."""
    _check_events(text)
    with gc_paused():
        loader = Loader(text)
        try:
            node = loader.get_single_node()
            found = duplicate_keys(node)
            if found and duplicates is None:
                raise DuplicateKeyError(found)
            if duplicates is not None:
                duplicates += found
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    return data, (node if with_node else None)


def line_of(node: yaml.Node | None, path: tuple[str, ...]) -> int | None:
    """The 1-based line of the deepest node along `path` (mapping keys, sequence indexes as text):
    where a problem with that key is, as close as the file allows."""
    if isinstance(node, (list, int)):
        return _line_in_map(node, path)
    line = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if str(k.value) == step), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and step.isdigit() and int(step) < len(node.value):
            node = node.value[int(step)]
            line = node.start_mark.line + 1
        else:
            break
    if line is None and node is not None:
        line = node.start_mark.line + 1
    return line


def _line_in_map(tree: Any, path: tuple[str, ...]) -> int | None:
    """line_of for a node tree kept as lines (facts/plancache.py: a scalar is its line, a mapping
    ["m", line, [[key, key line, value], ...]], a sequence ["s", line, [item, ...]]): the same answer."""
    line = None
    for step in path:
        if isinstance(tree, list) and tree[0] == "m":
            found = next((entry for entry in tree[2] if entry[0] == step), None)
            if found is None:
                break
            line, tree = found[1], found[2]
        elif isinstance(tree, list) and tree[0] == "s" and step.isdigit() and int(step) < len(tree[2]):
            tree = tree[2][int(step)]
            line = tree if isinstance(tree, int) else tree[1]
        else:
            break
    if line is None and tree is not None:
        line = tree if isinstance(tree, int) else tree[1]
    return line
