"""Fill the stored aggregates (RowBalance, BudgetMonths) of a database from before them.

Runs the application's own rebuild functions (the same ones `styra figures rebuild` uses),
so the figures are exactly those the engine computed from the raw rows before."""

from django.db import migrations


def fill(apps, schema_editor):
    from styra.finance.aggregates import budget_months_rebuild
    from styra.ledger.aggregates import row_balances_rebuild
    from styra.org.models import Municipality

    for municipality in Municipality.objects.only("pk"):
        row_balances_rebuild(municipality=municipality)
        budget_months_rebuild(municipality=municipality)


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0008_budgetmonths"),
        ("ledger", "0005_rowbalance"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
