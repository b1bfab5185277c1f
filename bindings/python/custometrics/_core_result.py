"""The wrapper of a result the core computes and writes whole (``ProgrammeEvaluation``,
``LogEconomics``): its attributes are the core's result's, its text and JSON the core's writers,
the same bytes as the command-line tool prints.

A subclass names its writers by their prefix in ``_core`` (``_writers = "programme"`` reads
``_core.programme_text`` and ``_core.programme_json``) and adds its tables as properties.
"""

from __future__ import annotations

import json
from typing import Any

from . import _core


class CoreResult:
    """A result of the core: attributes read from it, ``text``, ``to_json`` and ``to_dict``."""

    #: The prefix of the core's writers of this result (``_core.<prefix>_text``, ``..._json``).
    _writers = ""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    @property
    def text(self) -> str:
        """The text the command-line tool prints of this result."""
        return getattr(_core, self._writers + "_text")(self._raw)

    def to_json(self) -> str:
        """The JSON the command-line tool prints with ``--format json``, byte for byte."""
        return getattr(_core, self._writers + "_json")(self._raw)

    def to_dict(self) -> dict:
        """The JSON as a dict."""
        return json.loads(self.to_json())

    def __repr__(self) -> str:
        return self.text
