"""YAML records composed into nodes and built into plain data here, rather than by PyYAML's constructor.

So positions survive, duplicate keys are caught, only plain data tags are
accepted, and an alias bomb is stopped before it expands. A module of its own
so that reading other formats never imports PyYAML.
"""

from __future__ import annotations

from typing import Any

import yaml

from lutnick_cli.errors import InvalidRecord, Problem, max_number_digits, number_too_long

# A record has a few thousand nodes at most (10,000 authors is some 40,000);
# anything far past that is an alias bomb or not a record at all.
_NODE_BUDGET = 2_000_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT_TAG = "tag:yaml.org,2002:int"
_BITS_PER_DIGIT = 3.32  # a little below log2(10): every number of more digits has more bits than that
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def syntax_problem(error: yaml.YAMLError, source: str) -> InvalidRecord:
    """A YAML syntax error as the problem that ends its file, at the line and column PyYAML gives."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return InvalidRecord([Problem(source, "", f"YAML syntax: {error}")])
    mark = error.problem_mark or error.context_mark
    message = error.problem or error.context or "invalid YAML"
    if error.context and error.problem:
        message = f"{error.problem} ({error.context})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return InvalidRecord([Problem(source, "", f"YAML syntax: {message}", line, column)])


class _RecordResolver(yaml.resolver.Resolver):
    """YAML 1.1's implicit types, less the timestamp: dates stay text and are validated as EDTF."""


_RecordResolver.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}


class RecordLoader(_Loader):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers = _RecordResolver.yaml_implicit_resolvers


class Positions:
    """Where each path of a document starts, for pointing problems at lines."""

    def __init__(self) -> None:
        self.marks: dict[tuple[Any, ...], tuple[int, int]] = {}
        self.key_marks: dict[tuple[Any, ...], tuple[int, int]] = {}

    def locate(self, path: tuple[Any, ...], at_key: bool = False) -> tuple[int | None, int | None]:
        """Where a value starts, or with `at_key` where its key does; a missing field is
        reported where its parent mapping starts."""
        if at_key and path in self.key_marks:
            return self.key_marks[path]
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (None, None))


def top_level_id(loader: Any, node: yaml.Node) -> dict[str, Any]:
    """The `id` of a document that could not be built, for naming it in the report."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value == "id"
                and isinstance(value_node, yaml.ScalarNode)
            ):
                return {"id": value_node.value}
    return {}


class NodeBuilder:
    def __init__(self, loader: Any, source: str, positions: Positions):
        self.loader = loader
        self.source = source
        self.positions = positions
        self.budget = _NODE_BUDGET

    def _fail(self, node: yaml.Node, path: tuple[Any, ...], message: str) -> InvalidRecord:
        field = ".".join(str(part) for part in path)
        return InvalidRecord(
            [Problem(self.source, field, message, node.start_mark.line + 1, node.start_mark.column + 1)]
        )

    def _scalar(self, node: yaml.ScalarNode, path: tuple[Any, ...]) -> Any:
        """A scalar's value; an integer with more digits than Python converts (to or from text) is
        refused on its field: a decimal one before PyYAML tries, one written in hexadecimal, octal,
        binary or base 60 once it is built (it converts, but could never be printed)."""
        if node.tag != _INT_TAG:
            return self.loader.construct_object(node)
        if len(node.value) > max_number_digits():
            digits = sum(char.isdigit() for char in node.value)
            raise self._fail(node, path, number_too_long(digits if digits == len(node.value) else None))
        value = self.loader.construct_object(node)
        if isinstance(value, int) and value.bit_length() > _BITS_PER_DIGIT * max_number_digits():
            if abs(value) >= 10 ** max_number_digits():
                raise self._fail(node, path, number_too_long())
        return value

    def build(self, node: yaml.Node, path: tuple[Any, ...]) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self._fail(node, path, "too many nodes: aliases expand past any real record (an alias bomb?)")
        if len(path) > 64:
            raise self._fail(node, path, "nested too deeply to be a record")
        self.positions.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _PLAIN_TAGS:
                raise self._fail(node, path, f"unsupported YAML tag {node.tag!r}: records hold plain data only")
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self._fail(node, path, f"unsupported YAML tag {node.tag!r}: records hold plain data only")
            return [self.build(child, path + (index,)) for index, child in enumerate(node.value)]
        if node.tag != "tag:yaml.org,2002:map":
            raise self._fail(node, path, f"unsupported YAML tag {node.tag!r}: records hold plain data only")
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise self._fail(key_node, path, "a key must be plain text")
            key = self._scalar(key_node, path)
            if key in mapping:
                first = self.positions.key_marks[path + (key,)][0]
                raise self._fail(key_node, path + (key,), f"duplicate key (first given on line {first})")
            self.positions.key_marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            mapping[key] = self.build(value_node, path + (key,))
        return mapping
