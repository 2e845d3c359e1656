"""The year's calendar: reporting events, cut-offs, deadlines, statuses and locks."""
