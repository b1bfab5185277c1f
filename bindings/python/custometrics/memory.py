"""The cache of freed large column blocks of the C++ core (include/custometrics/column.hpp).

Large results (a million totals, ranks, shares) live in blocks of 4 MiB or more. Freed blocks
are kept, up to a limit (256 MiB by default), and handed out again for a request of the same
size, so that repeated calls skip the page faults, the kernel's zeroing of fresh memory and
the cost of unmapping (on a 10M-row ``pareto``, about 5 ms a call of kernel time). Lower the
limit, or set it to 0, to give that memory back.
"""

from __future__ import annotations

from . import _core


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
    >>> cm.set_block_cache_limit(256 * 2**20)  # the default
    """
    nbytes = int(nbytes)
    if nbytes < 0:
        raise ValueError(f"nbytes: must be >= 0, got {nbytes}")
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
