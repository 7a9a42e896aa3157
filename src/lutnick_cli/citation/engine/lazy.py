"""`cached_property` without a lock, for the engine's answers kept on its objects.

Python 3.11's `functools.cached_property` takes a lock (one for every
instance of the class) around each first computation. The engine asks a
thousand of them on a style's first render (each element's plans and the
queries of `performance.StyleQueries`) and two per cited item, always from
one thread: a process renders in one thread, and its workers are processes.
The lock was 0.8% of a cold `lutnick cite`'s instructions. Python 3.12
dropped it; this descriptor behaves as 3.12's does.

Like `functools.cached_property`: the first access computes the value and
keeps it in the instance's `__dict__`, where later accesses find it without
a call (the descriptor defines no `__set__`); a value that raises is not
kept, so it is computed again on the next access.

Test: tests/test_engine_lazy.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Type checkers know functools' descriptor, whose behaviour this one shares.
    from functools import cached_property as cached_property
else:

    class cached_property:
        """A method computed once per instance, on first access, then kept as its attribute."""

        def __init__(self, function: Any):
            self.function = function
            self.name: str | None = None
            self.__doc__ = function.__doc__
            self.__module__ = function.__module__

        def __set_name__(self, owner: type, name: str) -> None:
            if self.name is not None and name != self.name:
                raise TypeError(f"one cached_property cannot be both {self.name!r} and {name!r}")
            self.name = name

        def __get__(self, instance: Any, owner: type | None = None) -> Any:
            if instance is None:
                return self
            if self.name is None:
                raise TypeError("a cached_property must be made in a class body, which names it")
            value = instance.__dict__[self.name] = self.function(instance)
            return value
