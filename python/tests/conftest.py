"""Shared fixtures: the repository, the CLI binary the package is compared with, real articles."""
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "articles" / "us-russia-relations.txt"


@pytest.fixture(scope="session")
def cli():
    """The `stancer` binary (STANCER_BIN, else target/release/stancer, built by `cargo build --release`)."""
    path = Path(os.environ.get("STANCER_BIN", ROOT / "target" / "release" / "stancer"))
    if not path.exists():
        subprocess.run(["cargo", "build", "--release", "--bin", "stancer"], cwd=ROOT, check=True)
    return str(path)


@pytest.fixture(scope="session")
def scorer():
    import stancer

    return stancer.Scorer()


@pytest.fixture(scope="session")
def seed_text():
    return SEED.read_text(encoding="utf-8")
