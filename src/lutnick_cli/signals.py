"""The signals that end lutnick by unwinding, and holding them back for a moment that must not be split.

Ctrl-C (SIGINT), SIGTERM and SIGHUP raise an exception wherever lutnick is
(see cli.py), so that every cleanup runs on the way out. A few steps must not
be cut in two by that exception: making a temporary file and noting its name,
or forking the workers of a process pool before they have set their own
handlers. `held()` blocks the signals for such a step; one that arrives
meanwhile is delivered, and raised, as soon as the step is over.
"""

from __future__ import annotations

# The signal module's C core, as in cli.py: `signal` itself makes an IntEnum of every signal, handler
# and mask as it is imported (3.4M instructions of an export's start), to name numbers these functions
# only pass on.
import _signal as signal  # type: ignore[import-not-found]
import threading
from collections.abc import Iterator
from contextlib import contextmanager

UNWINDING_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def held() -> Iterator[None]:
    """Block the unwinding signals for the `with` block (in the main thread, where Python handles them)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield  # Python delivers signals to the main thread only; Windows has no signal masks
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, UNWINDING_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def release_inherited() -> None:
    """Unblock the unwinding signals in a process forked while they were held (a pool's worker)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, UNWINDING_SIGNALS)
