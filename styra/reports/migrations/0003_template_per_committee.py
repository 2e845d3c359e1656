"""Report templates move from the municipality to each committee (issue 20: a template
stored per municipality but authorised per committee let one committee's controller change
another committee's report). Every committee of the municipality keeps what the
municipality's template said."""

import django.db.models.deletion
from django.db import migrations, models


def copy_to_committees(apps, schema_editor):
    Template = apps.get_model("reports", "ReportTemplate")
    OrgNode = apps.get_model("org", "OrgNode")
    for template in list(Template.objects.filter(committee__isnull=True)):
        committees = OrgNode.objects.filter(
            municipality_id=template.municipality_id, kind="committee"
        )
        for committee in committees:
            Template.objects.create(
                municipality_id=template.municipality_id,
                committee=committee,
                report_type=template.report_type,
                overrides=template.overrides,
            )
        template.delete()


def back_to_municipality(apps, schema_editor):
    Template = apps.get_model("reports", "ReportTemplate")
    seen = set()
    for template in Template.objects.order_by("pk"):
        key = (template.municipality_id, template.report_type)
        if key in seen:
            template.delete()
        else:
            seen.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("reports", "0002_reportingevent_in_calendar"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalreporttemplate",
            name="committee",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="org.orgnode",
                verbose_name="nämnd",
            ),
        ),
        migrations.AddField(
            model_name="reporttemplate",
            name="committee",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="org.orgnode",
                verbose_name="nämnd",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="reporttemplate",
            name="report_template_unique",
        ),
        migrations.RunPython(copy_to_committees, back_to_municipality),
        migrations.RemoveField(
            model_name="historicalreporttemplate",
            name="municipality",
        ),
        migrations.RemoveField(
            model_name="reporttemplate",
            name="municipality",
        ),
        migrations.AlterField(
            model_name="reporttemplate",
            name="committee",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="org.orgnode",
                verbose_name="nämnd",
            ),
        ),
        migrations.AddConstraint(
            model_name="reporttemplate",
            constraint=models.UniqueConstraint(
                fields=("committee", "report_type"), name="report_template_committee_unique"
            ),
        ),
    ]
