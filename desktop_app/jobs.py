"""The step every long job (import, export, evidence copying) yields to whoever drives it: no Qt, no layer."""

from typing import Callable, Generator, NamedTuple, TypeVar

T = TypeVar("T")


class Progress(NamedTuple):
    """done of total units finished; message is Chinese, shown under the progress bar."""
    done: int
    total: int
    message: str = ""


def finish(steps: Generator[Progress, None, T],
           on_progress: Callable[[Progress], None] | None = None) -> T:
    """Run a progress generator to its end and return its value (command line, tests)."""
    while True:
        try:
            step = next(steps)
        except StopIteration as done:
            return done.value
        if on_progress is not None:
            on_progress(step)
