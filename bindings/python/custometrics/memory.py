"""Process-wide resources of the C++ core: threads and the cache of freed column blocks.

Threads: every call whose ``threads`` argument is 0 (the default) uses
:func:`get_num_threads` threads: the value of :func:`set_num_threads`, else the environment
variable ``CUSTOMETRICS_NUM_THREADS``, else all hardware threads. Cap it in a notebook that
shares the machine, a web server, or a Spark executor (``custometrics.spark`` runs one thread
per task unless told otherwise).

Block cache (include/custometrics/column.hpp): large results (a million totals, ranks, shares)
live in blocks of 4 MiB or more. The core can keep freed blocks, up to a limit, and hand them
out again for a request of the same size, so that repeated calls skip the page faults, the
kernel's zeroing of fresh memory and the cost of unmapping (on a 10M-row ``pareto``, about
5 ms a call of kernel time). In the Python package the cache is off by default, so that a
long-lived process does not hold freed memory: opt in with :func:`set_block_cache_limit` (the
C++ library's default is 256 MiB) or with the environment variable
``CUSTOMETRICS_BLOCK_CACHE_BYTES`` read at import.
"""

from __future__ import annotations

import os

from . import _core
from ._errors import input_error


def _limit_from_environment() -> int:
    text = os.environ.get("CUSTOMETRICS_BLOCK_CACHE_BYTES", "").strip()
    return int(text) if text.isdigit() else 0


_core.set_block_cache_limit(_limit_from_environment())


def set_num_threads(threads: int) -> None:
    """Set the threads of every call made with ``threads=0`` (the default); 0 restores the
    default (``CUSTOMETRICS_NUM_THREADS``, else all hardware threads).

    Parameters
    ----------
    threads : int
        A whole number >= 0.

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.set_num_threads(1)
    >>> cm.get_num_threads()
    1
    >>> cm.set_num_threads(0)
    """
    _core.set_default_threads(threads)  # InputError unless a whole number >= 0


def get_num_threads() -> int:
    """The threads a call made with ``threads=0`` uses (see :func:`set_num_threads`).

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.get_num_threads() >= 1
    True
    """
    return int(_core.default_threads())


def set_block_cache_limit(nbytes: int) -> None:
    """Set the most bytes of freed large blocks the core keeps for reuse; 0 frees them all
    and turns the cache off.

    Parameters
    ----------
    nbytes : int
        The limit in bytes (>= 0). Blocks kept beyond it are freed at once.

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.set_block_cache_limit(0)
    >>> cm.block_cache_size()
    0
    >>> cm.set_block_cache_limit(256 * 2**20)  # keep up to 256 MiB
    >>> cm.set_block_cache_limit(0)  # the Python package's default: off
    """
    nbytes = int(nbytes)
    if nbytes < 0:
        raise input_error(f"nbytes: must be >= 0, got {nbytes}", argument='nbytes')
    _core.set_block_cache_limit(nbytes)


def block_cache_size() -> int:
    """Bytes of freed large blocks the core keeps for reuse now.

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.block_cache_size() >= 0
    True
    """
    return int(_core.block_cache_size())
