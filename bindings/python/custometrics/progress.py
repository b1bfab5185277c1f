"""Progress bars for the long calls: reading a CSV log, generating one, fitting a model, the
report.

The core reports (stage, done, total) from the thread that made the call, at coarse steps
(include/custometrics/progress.hpp). By default the package shows them as tqdm bars when tqdm
is installed (``tqdm.auto``: a widget in Jupyter, a text bar in a terminal; only for calls that
last more than half a second) and shows nothing otherwise; either way a Ctrl-C (Python's
KeyboardInterrupt) stops a long call at its next report. :func:`set_progress` turns the bars
off, or passes the reports to a function of your own; the environment variable
``CUSTOMETRICS_PROGRESS=0`` turns them off at import. The setting holds for the thread that
made it (the one that imported the package, by default), so the calls of other threads (a
Spark executor's, a web server's workers) stay silent.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Optional, Union

from . import _core

ProgressCallback = Callable[[str, int, int], Any]


def _quiet(stage: str, done: int, total: int) -> None:
    """No display; being Python code, it lets a pending KeyboardInterrupt stop the call."""


def tqdm_progress() -> Optional[ProgressCallback]:
    """A callback that draws one tqdm bar per stage (closed when the stage reaches its total),
    or None when tqdm is not installed.

    Examples
    --------
    >>> from custometrics.progress import tqdm_progress
    >>> callback = tqdm_progress()  # None without tqdm
    """
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    bars: Dict[str, Any] = {}

    def callback(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total or None, desc=stage, delay=0.5, leave=False)
        elif total and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)
        if total and done >= total:
            bar.close()
            del bars[stage]

    return callback


def set_progress(progress: Union[bool, None, ProgressCallback] = True) -> None:
    """Show the progress of long calls made from this thread: ``True`` as tqdm bars (when tqdm
    is installed, else nothing), ``False`` or ``None`` not at all, or a function
    ``progress(stage, done, total)`` of your own (``total`` is 0 when unknown).

    The function runs on the calling thread, between steps of the call; an exception it raises
    (KeyboardInterrupt included) ends the call and reaches the caller.

    Examples
    --------
    >>> import custometrics as cm
    >>> seen = []
    >>> cm.set_progress(lambda stage, done, total: seen.append((stage, done, total)))
    >>> _ = cm.generate(customers=100, start="2024-01-01", end="2024-03-31", seed=1)
    >>> seen[-1]
    ('generate', 100, 100)
    >>> cm.set_progress(True)
    """
    if progress is True:
        progress = tqdm_progress() or _quiet
    _core.set_progress(progress or None)


set_progress(os.environ.get("CUSTOMETRICS_PROGRESS", "1").strip() != "0")
