"""Pure helpers shared by every part of Styra: pure, no Django.

Nothing in this package may import Django (a test checks it), so the rules here can be
used and tested anywhere: `numbers` (Swedish number parsing and formatting), `money`
(exact kronor/öre, display rounding with exact totals, allocation), `periods` (fiscal
periods, period 13 and reporting-event codes).
"""
