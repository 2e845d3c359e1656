from __future__ import annotations

from pathlib import Path

import pytest

from tests.actors import SYSTEM

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def demo_goals(demo_org):
    """The demo's goal file for AVUN at 2020-D2, loaded through the real service."""
    from styra.demo.builder import DATA_DIR
    from styra.goals.services import goals_load

    return goals_load(actor=SYSTEM, path=DATA_DIR / "goals" / "avun-2020-d2.yaml")


@pytest.fixture(scope="module")
def goals_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo organisation with AVUN's goals at 2020-D2, loaded once for a module whose
    tests override `demo_org` with it (each test's writes are undone after it; see
    tests.conftest.kept_for_the_module). Yields the municipality's id."""
    from styra.demo.builder import DATA_DIR
    from styra.goals.services import goals_load
    from tests.conftest import kept_for_the_module, load_demo_org

    with kept_for_the_module(django_db_blocker, tmp_path_factory):
        municipality = load_demo_org()
        goals_load(actor=SYSTEM, path=DATA_DIR / "goals" / "avun-2020-d2.yaml")
        yield municipality.pk


@pytest.fixture
def write_yaml(tmp_path):
    def write(text: str, name: str = "mal.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
