"""Triage policy files: YAML (or JSON, a subset of YAML) to rules and back, and file I/O.

Why a validator over PyYAML's node graph rather than ``yaml.safe_load`` and a schema check:
every problem is reported with its line, and PyYAML's composed nodes carry those positions
(``node.start_mark``); a loaded ``dict`` does not. Walking the nodes also lets the reader
validate a node shared through aliases once (a "billion laughs" file costs its size, not
what it expands to), refuse YAML 1.1's surprising number forms with what PyYAML would have
read (PyYAML's own resolver and constructor say it), and stop composing past
``_MAX_DEPTH`` levels before Python's stack runs out (PyYAML has no depth limit).
Parsing itself, positions, tags and YAML errors are PyYAML's.

Reading is bounded and strict (see docs/triage.md): at most ``max_bytes``
(``MAX_POLICY_BYTES``, 256 KiB) of UTF-8, nested at most 32 levels; deadline numbers in
plain decimal digits, within [`Deadline`][inspector_kit.triage.Deadline]'s bounds; names, queues
and tags free of control characters. Every problem is a
[`PolicyFileError`][inspector_kit.triage.PolicyFileError].
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from inspector_kit.errors import PolicyFileError
from inspector_kit.models import FindingStatus, severity_rank

from ._values import (
    _CONTROL,
    MAX_POLICY_BYTES,
    Condition,
    Deadline,
    Rule,
    _account,
    _exposure,
    _finding_type,
    _name,
    _severity,
    _short,
    _status,
    read_text_file,
    too_big,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from enum import Enum
    from pathlib import Path

__all__ = ["MAX_POLICY_BYTES", "dump_policy", "read_policy_file", "read_policy_text"]

#: How deep a policy file may nest; a valid policy nests 6 levels, so this never limits one.
_MAX_DEPTH = 32


def _names(values: Iterable[Enum | str] | None, *, by_rank: bool = False) -> list[str] | None:
    if values is None:
        return None
    names = [_name(v) for v in values]
    return sorted(names, key=lambda n: (-severity_rank(n), n) if by_rank else (0, n))


def _rule_data(rule: Rule) -> dict[str, Any]:
    c = rule.condition
    when = {
        "severities": _names(c.severities, by_rank=True),
        "rescored_severities": _names(c.rescored_severities, by_rank=True),
        "finding_types": _names(c.finding_types),
        "kev": c.kev,
        "exploit_available": c.exploit_available,
        "fix_available": c.fix_available,
        "exposures": _names(c.exposures),
        "tags": None if c.tags is None else dict(sorted(c.tags.items())),
        "accounts": _names(c.accounts),
    }
    data: dict[str, Any] = {"name": rule.name, "queue": rule.queue}
    if rule.notify_now:
        data["notify_now"] = True
    when = {k: v for k, v in when.items() if v is not None}
    if when:
        data["when"] = when
    d = rule.deadline
    if d.kind == "none":
        data["deadline"] = "none"
    elif d.kind == "monthly":
        data["deadline"] = {"monthly": {"business_day": d.n}}
    else:
        data["deadline"] = {d.kind: d.n}
    return data


# ----------------------------------------------------------------------------- YAML reader

_TOP_KEYS = ("name", "statuses", "rules")
_RULE_KEYS = ("name", "queue", "notify_now", "when", "deadline")
_WHEN_SETS: dict[str, Callable[[Any], Any]] = {
    "severities": _severity,
    "rescored_severities": _severity,
    "finding_types": _finding_type,
    "exposures": _exposure,
    "accounts": _account,
}
_WHEN_BOOLS = ("kev", "exploit_available", "fix_available")
_WHEN_KEYS = (*_WHEN_SETS, *_WHEN_BOOLS, "tags")
_STATUS_ORDER = tuple(s.value for s in FindingStatus)
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# The one integer form YAML 1.1 and 1.2 read alike: optional sign, decimal digits, no
# leading zero (YAML 1.1 reads 010 as octal 8, 1:30 as 90, 1_000 as 1000; 1.2 does not).
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_BOUND_NOTES = {
    "business_days": " (Deadline.MAX_BUSINESS_DAYS: about four years)",
    "calendar_days": " (Deadline.MAX_CALENDAR_DAYS: about four years)",
    "business_day": " (no month has more)",
}


# PyYAML's own YAML 1.1 rules, used to say what PyYAML reads a scalar as (the safe loader's
# resolver and constructor, without a stream).
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _text(value: str, limit: int = 40) -> str:
    """Text safe to print: control characters as backslash-u escapes, cut short."""
    shown = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _got(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if node.tag == _STR:
        return _text(json.dumps(node.value, ensure_ascii=False))
    if node.tag == _NULL and not node.value:
        return "nothing"
    return _text(str(node.value))


def _kind(node: yaml.Node) -> str:
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def _yaml11_int(text: str) -> int | None:
    """What YAML 1.1 (PyYAML) reads an int-tagged scalar as; None when too long to show."""
    if len(text) > 40:
        return None
    node = yaml.ScalarNode(_INT, text)
    try:
        return int(_CONSTRUCTOR.construct_yaml_int(node))
    except (ValueError, yaml.YAMLError):  # pragma: no cover - the resolver matched it
        return None


def _implicit(node: yaml.ScalarNode) -> bool:
    """Whether YAML 1.1 itself typed this scalar (plain, no explicit ``!!tag``)."""
    if node.style is not None or not node.value:
        return False
    resolved: str = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
        yaml.ScalarNode, node.value, (True, False)
    )
    return resolved == node.tag


def _yaml11_reading(node: yaml.ScalarNode) -> str | None:
    """How YAML 1.1 reads a plain scalar meant as text: "the number 8", "true", ..."""
    text = str(node.value)
    if not _implicit(node):
        return None
    if node.tag == _INT:
        value = _yaml11_int(text)
        return "a number" if value is None else f"the number {value}"
    if node.tag == _FLOAT:
        return "a number" if len(text) > 40 else f"the number {_text(text)}"
    if node.tag == _BOOL:
        return str(yaml.constructor.SafeConstructor.bool_values[text.lower()]).lower()
    if node.tag == _NULL:
        return "null (no value)"
    if node.tag == _TIMESTAMP:
        return "a date"
    return None


class _TooDeepError(yaml.MarkedYAMLError):
    """Raised by the composer past ``_MAX_DEPTH`` levels, before Python's stack runs out."""


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, composing at most ``_MAX_DEPTH`` levels of nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise _TooDeepError(
                    problem=f"nested deeper than {_MAX_DEPTH} levels",
                    problem_mark=event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_T = TypeVar("_T")


class _Reader:
    """Validates a composed YAML tree, collecting every problem with its line.

    A node reached again through an alias is validated once (its result is reused), so a
    "billion laughs" file costs no more than its size; its problems are reported once, at
    the node's own line.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self._seen: dict[tuple[int, str], Any] = {}

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(f"{self.source} line {node.start_mark.line + 1}: {message}")

    def _once(self, node: yaml.Node, what: str, check: Callable[..., _T], *args: Any) -> _T:
        """``check(*args)``, computed once per node reached (aliases reach a node again)."""
        key = (id(node), what)
        if key not in self._seen:
            self._seen[key] = check(*args)
        found: _T = self._seen[key]
        return found

    def read(self, text: str) -> tuple[str, tuple[Rule, ...], tuple[str, ...]]:
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = "" if mark is None else f" line {mark.line + 1}"
            where = ""
            if mark is not None:
                lines = text.splitlines()
                if mark.line < len(lines):
                    where = f" at {_short(lines[mark.line].strip())}"
            raise PolicyFileError(
                self.source, [f"{self.source}{line}: not valid YAML{where}: {err.problem}"]
            ) from None
        except yaml.reader.ReaderError as err:
            number = text.count("\n", 0, max(err.position, 0)) + 1
            raw: object = err.character
            char = chr(raw) if isinstance(raw, int) else str(raw)
            raise PolicyFileError(
                self.source,
                [
                    f"{self.source} line {number}: not valid YAML: control character "
                    f"{char!r} (write it as an escape in a double-quoted string, or remove it)"
                ],
            ) from None
        except yaml.YAMLError as err:  # pragma: no cover - every PyYAML error is one of those
            raise PolicyFileError(
                self.source, [f"{self.source}: not valid YAML: {_short(str(err), 120)}"]
            ) from None
        if root is None:
            raise PolicyFileError(self.source, [f"{self.source}: the file is empty"])
        policy = self.policy(root)
        if self.problems:
            raise PolicyFileError(self.source, self.problems)
        assert policy is not None
        return policy

    def mapping(
        self, node: yaml.Node, path: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{path or 'the policy'} must be a mapping, got {_got(node)}")
            return None
        fields: dict[str, yaml.Node] = {}
        prefix = f"{path}." if path else ""
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                where = f"{path}: " if path else ""
                self.problem(key, f"{where}{_kind(key)} is not a field name")
                continue
            name = str(key.value)
            if name not in allowed:
                known = ", ".join(sorted(allowed))
                shown = _text(name)
                self.problem(
                    key, f"{prefix}{shown} is not a known field (expected one of: {known})"
                )
            elif name in fields:
                self.problem(key, f"{prefix}{name} is given twice")
            else:
                fields[name] = value
        for name in required:
            if name not in fields:
                self.problem(node, f"{prefix}{name} is required")
        return fields

    def string(self, node: yaml.Node, path: str) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR and node.value.strip():
            if _CONTROL.search(node.value):
                self.problem(node, f"{path} must not hold control characters, got {_got(node)}")
                return None
            return str(node.value)
        reading = _yaml11_reading(node) if isinstance(node, yaml.ScalarNode) else None
        if reading is not None:
            text = _text(str(node.value))
            self.problem(
                node,
                f'{path} must be a string: YAML 1.1 reads {text} as {reading}: quote it ("{text}")',
            )
            return None
        self.problem(node, f"{path} must be a non-empty string, got {_got(node)}")
        return None

    def integer(self, node: yaml.Node, path: str, minimum: int) -> int | None:
        kind = "a non-negative integer" if minimum == 0 else f"an integer >= {minimum}"
        field = path.rsplit(".", 1)[-1]
        most = Deadline.bound("monthly" if field == "business_day" else field)
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            self.problem(node, f"{path} must be {kind}, got {_got(node)}")
            return None
        text = str(node.value)
        if not _PLAIN_INT.fullmatch(text) and not _implicit(node):  # !!int with any text
            self.problem(node, f"{path} must be {kind}, got {_got(node)}")
            return None
        if not _PLAIN_INT.fullmatch(text):
            value = _yaml11_int(text)
            form = text.lstrip("+-").lower()
            if ":" in form:
                how = "base 60"
            elif form.startswith("0b"):
                how = "binary"
            elif form.startswith("0x"):
                how = "hexadecimal"
            elif form.startswith("0") and form.replace("_", "").strip("0"):
                how = "octal"
            else:
                how = "digits with _"
            if value is None:
                read = f"YAML 1.1 reads {_text(text)} as a number too long to show"
                write = "write the number in plain decimal digits"
            else:
                read = f"YAML 1.1 reads {text} as {value} ({how})"
                write = f"write {value}"
                decimal = text.replace("_", "").lstrip("+")
                if how == "octal" and decimal.lstrip("-0") != str(abs(value)):
                    sign = "-" if decimal.startswith("-") else ""
                    write += f" (or {sign}{decimal.lstrip('-0')}, if that is what you meant)"
            self.problem(node, f"{path} must be plain decimal digits: {read}; {write}")
            return None
        digits = text.lstrip("+-")
        if text.startswith("-") and digits != "0":
            self.problem(node, f"{path} must be {kind}, got {_got(node)}")
            return None
        # Length first: int() of a 5,000-digit string is refused by Python itself.
        value = int(digits) if len(digits) <= 18 else None
        if value is not None and value < minimum:
            self.problem(node, f"{path} must be {kind}, got {_got(node)}")
            return None
        if most is not None and (value is None or value > most):
            note = _BOUND_NOTES.get(field, "")
            self.problem(node, f"{path} must be at most {most}, got {_got(node)}{note}")
            return None
        return value

    def boolean(self, node: yaml.Node, path: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            value = yaml.constructor.SafeConstructor.bool_values.get(str(node.value).lower())
            if value is not None:
                return bool(value)
        self.problem(node, f"{path} must be true or false, got {_got(node)}")
        return None

    def policy(self, root: yaml.Node) -> tuple[str, tuple[Rule, ...], tuple[str, ...]] | None:
        fields = self.mapping(root, "", _TOP_KEYS, required=("rules",))
        if fields is None:
            return None
        name = self.string(fields["name"], "name") if "name" in fields else "custom"
        statuses: frozenset[str] | None = frozenset({"ACTIVE"})
        order: tuple[str, ...] = ("ACTIVE",)
        if "statuses" in fields:
            listed = fields["statuses"]
            statuses = self._once(listed, "statuses", self.names, listed, "statuses", _status)
            if statuses is not None:
                order = tuple(n for n in _STATUS_ORDER if n in statuses)
        rules: list[Rule] = []
        node = fields.get("rules")
        if node is not None and not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"rules must be a list of rules, got {_got(node)}")
        elif node is not None:
            seen: dict[str, int] = {}
            for index, item in enumerate(node.value):
                path = f"rules[{index}]"
                rule = self._once(item, "rule", self.rule, item, path)
                if rule is not None and rule.name in seen:
                    self.problem(
                        item,
                        f"rules[{index}].name {_short(rule.name)} is also rules[{seen[rule.name]}]",
                    )
                elif rule is not None:
                    seen[rule.name] = index
                    rules.append(rule)
        if self.problems or name is None or statuses is None:
            return None
        return name, tuple(rules), order

    def rule(self, node: yaml.Node, path: str) -> Rule | None:
        fields = self.mapping(node, path, _RULE_KEYS, required=("name", "queue", "deadline"))
        if fields is None:
            return None
        name = self.string(fields["name"], f"{path}.name") if "name" in fields else None
        queue = self.string(fields["queue"], f"{path}.queue") if "queue" in fields else None
        notify_now: bool | None = False
        if "notify_now" in fields:
            notify_now = self.boolean(fields["notify_now"], f"{path}.notify_now")
        when = fields.get("when")
        condition = (
            Condition()
            if when is None
            else self._once(when, "when", self.condition, when, f"{path}.when")
        )
        deadline = None
        if "deadline" in fields:
            node = fields["deadline"]
            deadline = self._once(node, "deadline", self.deadline, node, f"{path}.deadline")
        if (
            name is None
            or queue is None
            or condition is None
            or deadline is None
            or notify_now is None
        ):
            return None
        return Rule(name, condition, deadline, queue, notify_now=notify_now)

    def condition(self, node: yaml.Node, path: str) -> Condition | None:
        fields = self.mapping(node, path, _WHEN_KEYS)
        if fields is None:
            return None
        before = len(self.problems)
        values: dict[str, Any] = {}
        for key, value in fields.items():
            where = f"{path}.{key}"
            if key in _WHEN_BOOLS:
                values[key] = self.boolean(value, where)
            elif key == "tags":
                values[key] = self._once(value, "tags", self.tags, value, where)
            else:
                convert = _WHEN_SETS[key]
                values[key] = self._once(value, convert.__name__, self.names, value, where, convert)
        if len(self.problems) > before or any(v is None for v in values.values()):
            return None
        return Condition(**values)

    def names(
        self, node: yaml.Node, path: str, convert: Callable[[Any], Any]
    ) -> frozenset[Any] | None:
        items = [node] if isinstance(node, yaml.ScalarNode) else node.value
        if isinstance(node, yaml.MappingNode) or not items:
            self.problem(node, f"{path} must be a non-empty list, got {_got(node)}")
            return None
        out = set()
        before = len(self.problems)
        for index, item in enumerate(items):
            where = path if item is node else f"{path}[{index}]"
            if not isinstance(item, yaml.ScalarNode):
                self.problem(item, f"{where} must be a name, got {_got(item)}")
                continue
            try:
                out.add(convert(str(item.value)))
            except ValueError as err:
                self.problem(item, f"{where}: {err}")
        return None if len(self.problems) > before else frozenset(out)

    def tags(self, node: yaml.Node, path: str) -> dict[str, str] | None:
        if not isinstance(node, yaml.MappingNode) or not node.value:
            self.problem(
                node, f"{path} must be a non-empty mapping of key: value, got {_got(node)}"
            )
            return None
        tags: dict[str, str] = {}
        before = len(self.problems)
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.problem(key, f"{path}: {_kind(key)} is not a tag key")
                continue
            where = f"{path}.{_text(str(key.value))}"
            if not isinstance(value, yaml.ScalarNode) or value.tag == _NULL:
                self.problem(value, f'{where} must be a tag value or "*", got {_got(value)}')
            elif key.value in tags:
                self.problem(key, f"{where} is given twice")
            elif _CONTROL.search(key.value) or _CONTROL.search(value.value):
                self.problem(value, f"{where} must not hold control characters")
            else:
                tags[str(key.value)] = str(value.value)  # the text as written: 007 stays 007
        return None if len(self.problems) > before else tags

    def deadline(self, node: yaml.Node, path: str) -> Deadline | None:
        if isinstance(node, yaml.ScalarNode):
            if node.value == "none":
                return Deadline.none()
            self.problem(
                node,
                f"{path} must be none or one of business_days: N, calendar_days: N, "
                f"monthly: {{business_day: N}}, got {_got(node)}",
            )
            return None
        fields = self.mapping(node, path, ("business_days", "calendar_days", "monthly"))
        if fields is None:
            return None
        if len(fields) != 1:
            if fields:
                self.problem(
                    node,
                    f"{path} must have exactly one of business_days, "
                    f"calendar_days, monthly; got {', '.join(fields)}",
                )
            elif isinstance(node, yaml.MappingNode) and not node.value:
                self.problem(
                    node,
                    f"{path} must be one of business_days: N, calendar_days: N, "
                    "monthly: {business_day: N} or none",
                )
            return None
        ((kind, value),) = fields.items()
        if kind == "monthly":
            inner = self.mapping(value, f"{path}.monthly", ("business_day",), ("business_day",))
            if inner is None or "business_day" not in inner:
                return None
            n = self.integer(inner["business_day"], f"{path}.monthly.business_day", 1)
            return None if n is None else Deadline.monthly(business_day=n)
        n = self.integer(value, f"{path}.{kind}", 0)
        if n is None:
            return None
        return Deadline.business_days(n) if kind == "business_days" else Deadline.calendar_days(n)


def dump_policy(name: str, rules: Iterable[Rule], statuses: tuple[str, ...] = ("ACTIVE",)) -> str:
    """The policy called ``name`` with ``rules`` as YAML (the file form in the package docs).

    ``statuses`` is written only when it is not the default (ACTIVE).
    """
    data: dict[str, Any] = {"name": name}
    if statuses != ("ACTIVE",):
        data["statuses"] = list(statuses)
    data["rules"] = [_rule_data(r) for r in rules]
    return yaml.safe_dump(
        data,
        sort_keys=False,
        default_flow_style=None,
        allow_unicode=True,
    )


def read_policy_text(
    text: str, *, source: str, max_bytes: int
) -> tuple[str, tuple[Rule, ...], tuple[str, ...]]:
    """The name, rules and statuses of a policy in YAML ``text``, or a PolicyFileError."""
    if len(text) > max_bytes or _utf8_size(text) > max_bytes:
        raise PolicyFileError(source, [too_big(source, max_bytes)])
    return _Reader(source).read(text)


def read_policy_file(
    path: Path, *, source: str, max_bytes: int
) -> tuple[str, tuple[Rule, ...], tuple[str, ...]]:
    """The name, rules and statuses of the policy file at ``path`` (UTF-8, ``max_bytes``)."""
    return _Reader(source).read(read_text_file(path, source, max_bytes, PolicyFileError))
