"""The package's version ([[tool.dynamic-metadata]] in pyproject.toml): core/VERSION, the one place
the version of NetWorkSpaces is set.

In the repository that file is ../../core/VERSION; in an sdist (which has
PKG-INFO at its top and nothing outside itself to read) it is the copy that
scripts/vendor-core.sh put into vendor/core.  CMakeLists.txt picks the core
by the same rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Mapping

__all__ = ["dynamic_metadata"]


def _version_file(root: Path) -> Path:
    if (root / "PKG-INFO").is_file():
        return root / "vendor" / "core" / "VERSION"
    return root.parent.parent / "core" / "VERSION"


def dynamic_metadata(settings: Mapping[str, Any], project: Mapping[str, Any]) -> Dict[str, str]:
    """The [[tool.dynamic-metadata]] hook: {"version": ...}."""
    if settings:
        raise RuntimeError("nws_version takes no settings, got %s" % ", ".join(sorted(settings)))
    path = _version_file(Path.cwd())
    try:
        version = path.read_text(encoding="utf-8").strip()
    except OSError as e:
        raise RuntimeError("nws: cannot read the version from %s: %s" % (path, e)) from e
    if not version:
        raise RuntimeError("nws: %s is empty" % path)
    return {"version": version}
