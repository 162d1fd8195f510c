"""Where the repository and its example specs are, for tests that need them at collection time
(parametrize lists), where a fixture cannot reach. Imported as a plain module, like bisection_oracle."""

from __future__ import annotations

from pathlib import Path

__all__ = ["REPO", "SPECS"]

REPO = Path(__file__).resolve().parent.parent
SPECS = REPO / "specs"
