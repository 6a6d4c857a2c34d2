"""The lock file pins what pyproject.toml asks for: a dependency added or raised there
without `make lock` fails here, not on a fresh machine."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PINNED = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)", re.MULTILINE)


def locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    return {canonicalize_name(name): version for name, version in PINNED.findall(text)}


def test_every_dependency_is_locked_at_a_version_it_accepts():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"].values()  # test, and bench (make bench)
    wanted = [*project["dependencies"], *(line for extra in extras for line in extra)]
    pins = locked()
    for line in wanted:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (line, pins[name])


def test_every_pin_carries_hashes():
    text = (ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n\n", 1)[-1])
    pinned = [b for b in blocks if PINNED.match(b)]
    assert pinned and all("--hash=sha256:" in b for b in pinned)
