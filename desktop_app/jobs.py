"""The step every long job (import, export, evidence copying) yields to whoever drives it: no Qt, no layer.

Named a step, not progress: in this code "progress" means only 进展 (progress_report)."""

from typing import Callable, Generator, NamedTuple, TypeVar

T = TypeVar("T")


class Step(NamedTuple):
    """done of total units finished; message is Chinese, shown under the progress bar."""
    done: int
    total: int
    message: str = ""


def finish(steps: Generator[Step, None, T],
           on_step: Callable[[Step], None] | None = None) -> T:
    """Run a job's steps to the end and return its value (command line, tests)."""
    while True:
        try:
            step = next(steps)
        except StopIteration as done:
            return done.value
        if on_step is not None:
            on_step(step)
