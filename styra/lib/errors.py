"""The one error vocabulary of Styra. Pure Python, no Django.

- `Issue`: something wrong in an input, with its file, 1-based line (0 = the file as a
  whole) and a Swedish message; warnings are issues with severity WARNING.
- `InputError`: an input was refused; carries every issue found (readers collect them
  all, the service refuses the whole input and stores nothing).
- `UsageError`: the caller named something that does not exist or asked for something
  that cannot be done (an unknown committee, event, format); the CLI exits 2.
- `IssueCollector`: what a reader appends to while it walks a file.
- `Read`: what a whole-file reader returns, `(value, issues)`; value is None when the
  file could not be read at all.

Exit codes of every `styra` command (see styra/command.py): 0 ok, 1 the data has errors,
2 usage or unreadable input. `InputError.exit_code` says which of 1 and 2 applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")

ERROR = "fel"
WARNING = "varning"

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


@dataclass(frozen=True)
class Issue:
    """Something wrong in an input: file name, 1-based line (0 = the whole file), message.

    `code` is a stable machine-readable kind ("unbalanced_voucher", "unreadable") for
    tests and the API; the message is for people and may change."""

    file: str
    line: int
    message: str
    severity: str = ERROR
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        """ "budget.csv:12: okänd enhet 'X'" (the form editors and terminals link to)."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.severity == WARNING:
            return f"{where}: varning: {self.message}"
        return f"{where}: {self.message}"


def errors_of(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.is_error]


class InputError(Exception):
    """An input (file, form, upload) was refused; `issues` holds every problem found.

    `unreadable` marks an input that could not be read at all (missing file, wrong
    format, not UTF-8): the CLI exits 2 for those and 1 for data errors. Issues on line 0
    (the file as a whole) count as unreadable unless the caller says otherwise."""

    def __init__(self, issues: Iterable[Issue], *, unreadable: bool | None = None):
        self.issues = list(issues)
        if unreadable is None:
            unreadable = any(i.line == 0 and i.is_error for i in self.issues)
        self.unreadable = unreadable
        super().__init__("\n".join(str(i) for i in self.issues))

    @classmethod
    def single(cls, file: str, line: int, message: str, *, code: str = "") -> InputError:
        return cls([Issue(file, line, message, code=code)])

    @property
    def errors(self) -> list[Issue]:
        return errors_of(self.issues)

    @property
    def exit_code(self) -> int:
        return EXIT_USAGE if self.unreadable else EXIT_DATA


class UsageError(Exception):
    """The caller asked for something that does not exist or cannot be done; the message
    is Swedish and says what to do instead. Commands exit 2, the web answers 404/400."""

    exit_code = EXIT_USAGE


class IssueCollector:
    """Collects the issues of one file while a reader walks it.

    issues = IssueCollector("budget.csv")
    issues.add(12, "okänd enhet 'X'")
    ...
    return Read(plan, issues.all)
    """

    def __init__(self, file: str):
        self.file = file
        self.all: list[Issue] = []

    def add(self, line: int, message: str, *, code: str = "", severity: str = ERROR) -> None:
        self.all.append(Issue(self.file, line, message, severity, code))

    def warn(self, line: int, message: str, *, code: str = "") -> None:
        self.add(line, message, code=code, severity=WARNING)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.all.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        return errors_of(self.all)

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.all)


class Read(NamedTuple, Generic[T]):
    """The result of a whole-file reader: `value, issues = read_x(path)`.

    Readers never raise for bad input: they return every issue with its line, and the
    value (None when nothing usable was read). The service decides: any error refuses
    the whole input (`read.raise_if_errors()`), warnings are shown to the user."""

    value: T | None
    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        return errors_of(self.issues)

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.errors

    def raise_if_errors(self) -> T:
        """The value, or InputError with every issue when there is any error."""
        if self.errors or self.value is None:
            raise InputError(self.issues)
        return self.value
