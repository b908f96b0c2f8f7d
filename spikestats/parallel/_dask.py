"""Where per-unit work runs: in-process, or on a ``dask.distributed`` cluster; and the progress bar.

dask is an optional extra (``pip install 'spikestats[dask]'``); it is imported
here, inside functions, and only when a cluster is asked for.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from spikestats._validation import check_bool, check_scalar, describe, fail
from spikestats.exceptions import SpikestatsError, ValidationTypeError

__all__ = ["SchedulerUnreachableError", "import_distributed", "connected", "n_threads", "progress_bar", "run_tasks"]

log = logging.getLogger("spikestats.parallel")

#: Seconds to wait for a scheduler given by address before giving up.
CONNECT_TIMEOUT = 10.0


class SchedulerUnreachableError(SpikestatsError, ConnectionError):
    """No dask scheduler answered at the address given as ``client`` within the timeout."""


def import_distributed(what: str = "`client`") -> Any:
    """``dask.distributed``, or an ImportError that names the extra to install."""
    try:
        import dask.distributed as distributed
    except ImportError as exc:
        raise ImportError(f"{what} needs dask.distributed, which is not installed ({exc}). Install the extra with "
                          f"`pip install 'spikestats[dask]'`, or pass `client=None` to run serially.") from exc
    return distributed


@contextmanager
def connected(client: Any, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[Any]:
    """The ``dask.distributed.Client`` to submit to, or ``None`` to run in-process.

    Parameters
    ----------
    client : None, Client, cluster, "local" or str
        ``None``: serial. A ``Client``: used as is (not closed). A cluster
        object (anything with ``scheduler_address``, e.g. ``LocalCluster``):
        a Client is opened on it and closed afterwards. ``"local"``: a
        ``LocalCluster`` of worker processes is started for this call and shut
        down afterwards. Any other string: the address of a running scheduler
        (``"tcp://10.0.0.5:8786"``); a Client is opened and closed afterwards.
    timeout : float
        Seconds to wait for a scheduler address to answer.
    """
    if client is None:
        yield None
        return
    distributed = import_distributed()
    if isinstance(client, distributed.Client):
        yield client
        return
    timeout = check_scalar("timeout", timeout, positive=True)
    if isinstance(client, str) and client == "local":
        with distributed.LocalCluster(processes=True, dashboard_address=":0") as cluster, \
                distributed.Client(cluster) as local:
            log.info("started a LocalCluster at %s", cluster.scheduler_address)
            yield local
        return
    if isinstance(client, str) or hasattr(client, "scheduler_address"):
        address = client if isinstance(client, str) else client.scheduler_address
        try:
            opened = distributed.Client(address, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnreachableError(
                f"`client` must be the address of a reachable dask scheduler; got {address!r}, which did not "
                f"answer within {timeout:g} s ({type(exc).__name__}: {exc}). Start one with `dask scheduler` "
                f"(and `dask worker {address}`), check the address and firewall, or pass `client=None` to run "
                f"serially.") from None
        try:
            log.info("connected to the dask scheduler at %s", address)
            yield opened
        finally:
            opened.close()
        return
    fail("client", "None, a dask.distributed Client, a cluster, 'local' or a scheduler address", client,
         kind=ValidationTypeError)


def n_threads(client: Any) -> int:
    """Worker threads of the cluster behind ``client`` (at least 1)."""
    return max(1, sum(client.nthreads().values()))


def progress_bar(total: int, progress: bool | None, desc: str) -> Any:
    """A tqdm bar over ``total`` steps.

    ``progress=None`` shows it only when stderr is a terminal (and not when
    the environment variable ``SPIKESTATS_NO_PROGRESS`` is set); ``True``
    always; ``False`` never.
    """
    from tqdm import tqdm

    if progress is None:
        disable = None if not os.environ.get("SPIKESTATS_NO_PROGRESS") else True
    else:
        disable = not check_bool("progress", progress)
    return tqdm(total=total, desc=desc, unit="unit", disable=disable, leave=False, dynamic_ncols=True)


def run_tasks(func: Callable, tasks: Sequence[tuple], client: Any, *, progress: bool | None, desc: str,
              total: int, weights: Sequence[int]) -> list:
    """``func(*task)`` for every task, in-process (``client=None``) or on ``client``; results in task order.

    The bar has ``total`` steps and advances by ``weights[k]`` when task ``k``
    finishes. On a cluster, a failing task's exception is re-raised here and
    the other tasks are cancelled.
    """
    out: list = [None] * len(tasks)
    with progress_bar(total, progress, desc) as bar:
        if client is None:
            for k, task in enumerate(tasks):
                out[k] = func(*task)
                bar.update(weights[k])
            return out
        futures = client.map(func, *zip(*tasks), pure=False) if tasks else []   # one graph for all tasks
        for fut, weight in zip(futures, weights):   # runs on the client's event-loop thread
            fut.add_done_callback(lambda _, w=weight: bar.update(w))
        try:
            out = client.gather(futures)
        finally:
            client.cancel(futures)
    return out


def describe_client(client: Any) -> str:
    """A short description of where the work runs, for logs."""
    return "in-process" if client is None else f"on {describe(client, 80)}"
