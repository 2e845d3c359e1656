"""`styra user create` with names Django would refuse or rewrite: a Swedish error and
exit 2 (or 1 for a name that exists), never a traceback (the CLI fuzz test found both)."""

from __future__ import annotations

import pytest

from styra.cli import main


@pytest.mark.django_db
@pytest.mark.parametrize(
    "argv",
    [[""], ["x y"], ["bob", "--email", "nope"], ["bob", "--name", "a" * 200]],
)
def test_refused_input_exits_2(argv, capsys):
    assert main(["user", "create", *argv]) == 2
    assert "godtas inte" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_name_equal_after_normalisation_exists(capsys):
    assert main(["user", "create", "fia"]) == 0
    assert main(["user", "create", "\ufb01a"]) == 1  # "ﬁa" is stored as "fia"
    assert "finns redan" in capsys.readouterr().err
