"""The report tests' data set (a committee with ledger, budget, forecasts and texts) for
the security tests that need figures: backup, unit scope."""

from tests.reports.conftest import d2, report_data  # noqa: F401 (fixtures)
