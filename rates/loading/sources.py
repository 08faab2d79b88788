"""The files a setup was loaded from, as bytes: what loads the same setup again later.

A checkout's quote is answered without its step-by-step trace; support asks for the trace
afterwards (`rates.app.replays`), when the files may have been edited many times. So the
bytes every loaded setup read are kept by content address (`id`), stored once per
version, and a stored quote names the version that served it. Loading them again, from a
fresh folder, gives the same setup, and quoting the same request on it the same trace.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


@dataclass(frozen=True, slots=True)
class SetupSources:
    """`files` by their path relative to the config's folder (posix, `..` where a file
    sits outside it), the config's own among them under `config`. `rules`: the rules
    path that replaced the config's own, if one did (`load_setup(rules=)`)."""

    config: str
    files: Mapping[str, bytes]
    rules: str | None = None
    id: str = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256(f"{self.config}\0{self.rules or ''}\0".encode())
        for name in sorted(self.files):
            digest.update(f"{name}\0{len(self.files[name])}\0".encode())
            digest.update(self.files[name])
        object.__setattr__(self, "id", digest.hexdigest())

    @classmethod
    def of(cls, config_path: Path, read: Mapping[Path, bytes],
           rules: Path | None = None) -> SetupSources:
        """The sources of a setup that read `read` (path -> bytes) for `config_path`."""
        root = config_path.parent
        return cls(_relative(config_path, root),
                   {_relative(path, root): raw for path, raw in read.items()},
                   None if rules is None else _relative(rules, root))

    def written(self, folder: Path) -> tuple[Path, Path | None]:
        """Write the files under `folder` (created) and say where the config and the rules
        override now are. The config goes as deep as the files' `..` need, so each stays
        inside `folder`."""
        depth = max((_ups(name) for name in [*self.files, self.rules or ""]), default=0)
        root = folder.joinpath(*(f"d{n}" for n in range(depth)))
        for name, raw in self.files.items():
            path = Path(os.path.normpath(root / name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
        rules = None if self.rules is None else Path(os.path.normpath(root / self.rules))
        return Path(os.path.normpath(root / self.config)), rules


def _relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _ups(name: str) -> int:
    """How many folders above the config's `name` climbs."""
    parts = PurePosixPath(name).parts
    return next((n for n, part in enumerate(parts) if part != ".."), len(parts))
