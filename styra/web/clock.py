"""Moved: the one "today" is styra.calendar.clock (below every app that needs dates).
This alias keeps branches written against the old place working; import from
styra.calendar.clock in new code."""

from styra.calendar.clock import now, today

__all__ = ["now", "today"]
