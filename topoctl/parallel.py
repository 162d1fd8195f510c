"""Running independent pieces of work on several processes or a Dask cluster, results in input order.

A piece is ``func(shared, item)``: ``func`` a module-level function (so it pickles by name), ``shared``
what every piece reads (a design's graph arrays, the sweep's settings), sent to each worker once, and
``item`` the piece's own input. ``run_map`` yields the results in the order of the items whatever order
they finish in, so the output of a parallel run is the output of the serial one, byte for byte, as long
as each piece is a pure function of its input (every random draw is made from a seed in ``item``).

Executors: ``local`` runs ``jobs`` processes of this machine (``jobs=1``: in this process, nothing is
pickled); ``dask`` submits to the dask.distributed scheduler at ``scheduler`` (``tcp://host:8786``),
whose workers must have the same topoctl installed. Dask is imported only here and only when asked for.
At most ``window`` pieces are in flight, so items may be generated lazily and memory stays bounded.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from topoctl.errors import FlagError

__all__ = ["EXECUTORS", "Executor", "SERIAL", "run_map", "default_jobs"]

EXECUTORS = ("local", "dask")
MAX_JOBS = 256
CONNECT_TIMEOUT_S = 20.0  # how long to wait for a Dask scheduler before saying it cannot be reached


def default_jobs() -> int:
    """The processes of a local run when none is asked for: one per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass(frozen=True)
class Executor:
    """Where pieces of work run: ``jobs`` local processes, or the Dask cluster at ``scheduler``."""

    kind: str = "local"
    jobs: int = 1
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in EXECUTORS:
            raise FlagError(f"{self.kind!r} is not an executor; valid: {', '.join(EXECUTORS)}", flag="--executor")
        if not 1 <= self.jobs <= MAX_JOBS:
            raise FlagError(f"{self.jobs} is not a number of processes 1..{MAX_JOBS}", flag="--jobs")
        if self.kind == "dask" and not self.scheduler:
            raise FlagError("the dask executor needs the scheduler's address (tcp://HOST:8786)", flag="--scheduler")
        if self.kind == "local" and self.scheduler:
            raise FlagError("a scheduler address goes with --executor dask", flag="--scheduler")

    @property
    def serial(self) -> bool:
        return self.kind == "local" and self.jobs == 1


def run_map(func: Callable[[Any, Any], Any], items: Iterable[Any], shared: Any = None,
            executor: Executor | None = None, *, window: int | None = None,
            done: Callable[[int], None] | None = None) -> Iterator[Any]:
    """``func(shared, item)`` of every item, in the items' order; ``done(n)`` after each result with the
    number finished so far (in order, so a progress bar never runs ahead of the output)."""
    executor = executor or SERIAL
    if executor.serial:
        for count, item in enumerate(items, 1):
            result = func(shared, item)
            if done is not None:
                done(count)
            yield result
        return
    if executor.kind == "dask":
        yield from _dask_map(func, items, shared, executor, window, done)
    else:
        yield from _local_map(func, items, shared, executor, window, done)


SERIAL = Executor()  # this process, one piece after another


# Each local worker process receives ``shared`` once, through the pool's initializer.
_SHARED: list[Any] = []


def _install(shared: Any) -> None:
    _SHARED[:] = [shared]


def _call(func: Callable[[Any, Any], Any], item: Any) -> Any:
    return func(_SHARED[0], item)


def _local_map(func: Callable[[Any, Any], Any], items: Iterable[Any], shared: Any, executor: Executor,
               window: int | None, done: Callable[[int], None] | None) -> Iterator[Any]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start with the parent's modules loaded (a spawned worker would import numpy,
    # scipy and OR-Tools again, seconds on a loaded machine); spawn where fork does not exist
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    limit = window or 4 * executor.jobs
    with ProcessPoolExecutor(executor.jobs, mp_context=context, initializer=_install, initargs=(shared,)) as pool:
        yield from _in_order((pool.submit(_call, func, item) for item in items), limit, lambda f: f.result(), done)


def _dask_map(func: Callable[[Any, Any], Any], items: Iterable[Any], shared: Any, executor: Executor,
              window: int | None, done: Callable[[int], None] | None) -> Iterator[Any]:
    try:
        from dask.distributed import Client
    except ImportError:
        raise FlagError("the dask executor needs dask.distributed: pip install 'dask[distributed]'",
                        flag="--executor") from None
    try:
        client = Client(executor.scheduler, timeout=f"{CONNECT_TIMEOUT_S:g}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise FlagError(f"cannot reach the Dask scheduler at {executor.scheduler}: {exc}", flag="--scheduler") from None
    with client:
        remote = client.scatter(shared, broadcast=True) if shared is not None else None
        limit = window or 4 * max(1, sum(client.nthreads().values()))
        # pure=False: two equal items are still two pieces (a sweep point is computed where it is asked for)
        futures = (client.submit(func, remote, item, pure=False) for item in items)
        yield from _in_order(futures, limit, lambda f: f.result(), done)


def _in_order(futures: Iterator[Any], limit: int, result: Callable[[Any], Any],
              done: Callable[[int], None] | None) -> Iterator[Any]:
    """The futures' results in submission order, with at most ``limit`` submitted and not yet yielded."""
    pending: deque[Any] = deque()
    count = 0
    for future in futures:
        pending.append(future)
        if len(pending) >= limit:
            count += 1
            yield result(pending.popleft())
            if done is not None:
                done(count)
    while pending:
        count += 1
        yield result(pending.popleft())
        if done is not None:
            done(count)
