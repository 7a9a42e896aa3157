"""Domain exceptions and the exit statuses the command line documents."""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from enum import IntEnum
from operator import attrgetter, itemgetter
from reprlib import recursive_repr
from typing import TYPE_CHECKING, Any, TypeVar

_Class = TypeVar("_Class", bound=type)

if TYPE_CHECKING:
    # Type checkers see the classes it makes as the dataclasses they are.
    from dataclasses import dataclass as frozen_value
else:

    def frozen_value(cls: _Class) -> _Class:
        """`dataclass(frozen=True, slots=True)` for a small class that writes its own __init__.

        dataclasses compiles an __init__, __repr__, __eq__, __hash__, __setattr__
        and __delattr__ for each such class on every start (over a millisecond a
        class); these are shared instead, with the same results: the fields shown
        and compared as a tuple, in order, by a class that must be the same, and
        FrozenInstanceError for any attribute set or deleted. The class's own
        __init__ takes the fields as dataclasses' would, and sets them with
        `object.__setattr__`. Pickling and copying give the class and its values, from which
        `rebuilt_value` sets the fields the same way.
        """
        # Imported here: a command that makes no such class (a cold `lutnick cite`) never loads dataclasses.
        from dataclasses import dataclass, fields

        model = dataclass(slots=True, init=False, repr=False, eq=False)(cls)
        names = tuple(spec.name for spec in fields(model))
        values = attrgetter(*names) if len(names) > 1 else lambda instance: (getattr(instance, names[0]),)
        model._value_setters = slot_setters(model, *names)

        def __reduce__(self: Any) -> tuple[Callable[..., Any], tuple[type, tuple[Any, ...]]]:
            return rebuilt_value, (model, values(self))

        set_methods(model, *value_methods(names, values), *frozen_methods(), __reduce__)
        return model


def rebuilt_value(cls: type, values: tuple[Any, ...]) -> Any:
    """A `frozen_value` of class `cls` with these values of its fields, in order, as pickling gives them.

    Made without the class's __init__, which need not take its fields in order; nor through
    __setstate__, whose loop of `object.__setattr__` cost as much again (pickling a record's pages,
    dates and people cost four times pickling their plain data)."""
    instance: Any = object.__new__(cls)
    for setter, value in zip(cls._value_setters, values):  # type: ignore[attr-defined]
        setter(instance, value)
    return instance


def frozen_methods() -> tuple[Callable[..., Any], ...]:
    """The __setattr__ and __delattr__ of a frozen dataclass: FrozenInstanceError for any attribute."""

    def __setattr__(self: Any, name: str, value: Any) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self: Any, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")

    return __setattr__, __delattr__


def slotted_value(cls: _Class) -> _Class:
    """A frozen value of the fields a class names in its `__slots__`, which the __init__ it writes sets
    with `object.__setattr__`: shown, compared and hashed by its fields, as a frozen dataclass is,
    FrozenInstanceError for any attribute set or deleted, and pickled and copied through its __init__.

    Made without dataclasses, for the classes every command defines as it starts: dataclasses would
    be imported for them (a cold `lutnick cite` of the embedded record uses it for nothing else), and
    `frozen_value`'s class is still made by it (some 2M instructions a class).
    """
    names: tuple[str, ...] = cls.__slots__  # type: ignore[attr-defined]

    def values(instance: Any) -> tuple[Any, ...]:
        return tuple([getattr(instance, name) for name in names])

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, values(self)

    set_methods(cls, *value_methods(names, values), *frozen_methods(), __reduce__)
    return cls


def value_methods(shown: tuple[str, ...], compared: Callable[[Any], tuple[Any, ...]]) -> tuple[Callable[..., Any], ...]:
    """The __repr__, __eq__ and __hash__ dataclasses would compile for a frozen class: the `shown`
    fields in its repr; the `compared` values as a tuple, compared only with the same class, and hashed."""

    @recursive_repr()
    def __repr__(self: Any) -> str:
        shown_values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({shown_values})"

    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(compared(self))

    return __repr__, __eq__, __hash__


def slot_setters(cls: type, *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of these slots of a frozen class, for its __init__ to set them with: each slot's own
    descriptor sets it for a third less than `object.__setattr__`, which first looks the name up along
    the class's bases and checks that no class's own __setattr__ is passed over (the frozen one is)."""
    return tuple(vars(cls)[name].__set__ for name in names)


def set_methods(model: type, *methods: Callable[..., Any]) -> None:
    """Give the class these functions as its methods, each named as its own."""
    for method in methods:
        method.__qualname__ = f"{model.__qualname__}.{method.__name__}"
        setattr(model, method.__name__, method)


if TYPE_CHECKING:
    # Type checkers see its classes as the named tuples they are.
    from typing import NamedTuple as ValueTuple
else:

    class _ValueTupleType(type):
        """Makes each class of `ValueTuple` a named tuple of the fields its body annotates, in order;
        a value given in the body is that field's default."""

        def __new__(metaclass, name, bases, namespace):  # type: ignore[no-untyped-def]
            fields = tuple(namespace.get("__annotations__", ()))
            defaults = {}
            for index, field in enumerate(fields):
                if field in namespace:
                    defaults[field] = namespace[field]
                elif defaults:
                    raise TypeError(f"{name}: field {field!r} without a default follows one with a default")
                namespace[field] = property(itemgetter(index), doc=f"Field {index}")
            namespace.update(__slots__=(), _fields=fields, _field_defaults=defaults, __match_args__=fields)
            return super().__new__(metaclass, name, bases, namespace)

    class ValueTuple(tuple, metaclass=_ValueTupleType):
        """`typing.NamedTuple` for the classes every command defines as it starts.

        Written as a NamedTuple is (a field each annotation of the class body,
        a default each value given there, methods and properties of its own),
        and behaving as one: a tuple of its fields, unpacked, indexed, compared
        and hashed as a tuple; each field read by its name; shown as
        `Name(field=value, ...)`; `_replace`, `_asdict`, `_fields`,
        `_field_defaults`; pickled (across the process pool) and copied by its
        values; no other attribute can be set. typing.NamedTuple compiles a
        constructor for each class, at some 170 µs a class: this constructor
        is shared.
        """

        def __new__(cls, *values: Any, **named: Any):  # type: ignore[no-untyped-def]
            if named or len(values) != len(cls._fields):
                values = _field_values(cls, values, named)
            return tuple.__new__(cls, values)

        def __getnewargs__(self) -> tuple[Any, ...]:
            return tuple(self)

        def __repr__(self) -> str:
            shown = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
            return f"{self.__class__.__name__}({shown})"

        def _replace(self, **changes: Any):  # type: ignore[no-untyped-def]
            values = [changes.pop(name, value) for name, value in zip(self._fields, self)]
            if changes:
                raise ValueError(f"Got unexpected field names: {list(changes)!r}")
            return tuple.__new__(self.__class__, values)

        def _asdict(self) -> dict[str, Any]:
            return dict(zip(self._fields, self))

    def _field_values(cls: type, values: tuple[Any, ...], named: dict[str, Any]) -> list[Any]:
        """The fields of a `ValueTuple` made with `values` given in order, `named` by name, and defaults."""
        fields = cls._fields  # type: ignore[attr-defined]
        if len(values) > len(fields):
            raise TypeError(f"{cls.__name__}() takes {len(fields)} arguments but {len(values)} were given")
        complete = list(values)
        for field in fields[len(values) :]:
            if field in named:
                complete.append(named.pop(field))
            elif field in cls._field_defaults:  # type: ignore[attr-defined]
                complete.append(cls._field_defaults[field])  # type: ignore[attr-defined]
            else:
                raise TypeError(f"{cls.__name__}() missing argument {field!r}")
        if named:
            raise TypeError(f"{cls.__name__}() got an unexpected or repeated argument {next(iter(named))!r}")
        return complete


class ExitStatus(IntEnum):
    """Exit statuses of every `lutnick` command.

    73 and 74 are sysexits.h's EX_CANTCREAT and EX_IOERR; 128 + N is what a
    shell reports for a program ended by signal N.
    """

    OK = 0
    INVALID_DATA = 1
    USAGE = 2
    INTERNAL = 70
    CANNOT_CREATE = 73  # an output file or folder cannot be made: read-only, forbidden, missing folder
    IO_ERROR = 74  # writing failed: a full disk, a closed standard output
    HANGUP = 129  # SIGHUP
    INTERRUPTED = 130  # SIGINT (Ctrl-C)
    BROKEN_PIPE = 141  # SIGPIPE: the reader of standard output went away (`| head -1`); nothing is printed
    TERMINATED = 143  # SIGTERM


@slotted_value
class Problem:
    """One thing wrong with a record, located as precisely as the input allows.

    A frozen value (`slotted_value`); `replace` makes a changed copy, as `dataclasses.replace` does.
    """

    __slots__ = ("source", "field", "message", "line", "column", "record", "warning")

    source: str
    field: str
    message: str
    line: int | None
    column: int | None
    record: str | None  # the id the record gives itself, when it gives one
    # A warning names data that was understood but looks wrong: the record is kept, as given.
    warning: bool

    def __init__(
        self,
        source: str,
        field: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
        record: str | None = None,
        warning: bool = False,
    ) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "record", record)
        object.__setattr__(self, "warning", warning)

    def replace(self, **changes: Any) -> Problem:
        """This problem with the fields named changed."""
        return Problem(**{name: getattr(self, name) for name in Problem.__slots__} | changes)

    def __str__(self) -> str:
        place = self.source
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        if self.warning:
            place += ": warning"
        if self.record:
            place += f": [{self.record}]"
            return f"{place} {self.field}: {self.message}" if self.field else f"{place} {self.message}"
        if self.field:
            return f"{place}: {self.field}: {self.message}"
        return f"{place}: {self.message}"


def max_number_digits() -> int:
    """The most digits a number read from input may have.

    Python refuses to turn longer text into a number (its guard against
    conversions that take quadratic time); lutnick keeps that limit even
    where it is lifted, and reports a longer number on its field.
    """
    return sys.get_int_max_str_digits() or sys.int_info.default_max_str_digits


def number_too_long(digits: int | None = None) -> str:
    """The message for a number of `digits` digits (or of more than it may have), past `max_number_digits`."""
    if digits is None:
        return f"a number of more than {max_number_digits():,} digits is too long to read"
    return f"a number of {digits:,} digits is too long to read (at most {max_number_digits():,})"


class LutnickError(Exception):
    """Base of every error the library reports to its callers."""

    exit_status = ExitStatus.INVALID_DATA


class InvalidRecord(LutnickError):
    """A record (or a file of records) failed validation."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class StyleError(LutnickError):
    """A CSL style or locale could not be found or is not a CSL file."""

    exit_status = ExitStatus.USAGE


class InvalidStyle(StyleError):
    """A style file that is CSL but would fail the engine: a macro undefined or calling itself, a layout missing."""

    exit_status = ExitStatus.INVALID_DATA


class OutputError(LutnickError):
    """An output file exists, or appeared while it was made, and --force was not given; or its path
    would leave the folder asked for. Nothing was written."""


# Writing itself failed; any other refusal is one to make the file at all.
_WRITE_FAILED = frozenset([errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF, errno.EPIPE])


class CannotWrite(LutnickError):
    """The system refused to write the output: the user's environment, not their data and not a bug."""

    def __init__(self, message: str, error: OSError):
        super().__init__(message)
        self.exit_status = write_failure_status(error)


def write_failure_status(error: OSError) -> ExitStatus:
    """IO_ERROR when writing failed (a full disk, a closed descriptor); else CANNOT_CREATE (a read-only folder…)."""
    return ExitStatus.IO_ERROR if error.errno in _WRITE_FAILED else ExitStatus.CANNOT_CREATE
