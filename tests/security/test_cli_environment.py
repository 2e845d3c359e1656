"""A command run inside this process leaves the environment as it found it: Django's
--settings option would otherwise point every later subprocess at a module that does not
exist (a fuzzed value once broke the next test's `python -m styra.cli`)."""

from __future__ import annotations

import os
import sys

import pytest

from styra.cli import main


@pytest.mark.django_db
def test_settings_option_does_not_leak_into_the_environment(capsys):
    before_env, before_path = os.environ["DJANGO_SETTINGS_MODULE"], list(sys.path)
    main(["showmigrations", "--settings", "Õ", "--pythonpath", "/nonexistent", "--list"])
    capsys.readouterr()
    assert os.environ["DJANGO_SETTINGS_MODULE"] == before_env
    assert sys.path == before_path
