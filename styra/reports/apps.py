from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "styra.reports"
    label = "reports"
    verbose_name = "Rapporter"

    def ready(self) -> None:
        from styra.calendar.locks import register_approval_check
        from styra.goals.checks import register_analysis_check

        register_approval_check(report_figures_check)
        register_analysis_check(goal_analysis_check)


def report_figures_check(event) -> list[str]:
    """The report's own figures check (numbers in the texts against the tables), as the
    calendar asks before an event is approved."""
    from styra.lib.errors import UsageError

    from .builders import build_report
    from .checks import check_report

    try:
        report = build_report(event.committee, event)
    except UsageError:
        return []  # no report type for this kind of event: nothing to check
    return [f"{f.where}: {f.message}" if f.where else f.message for f in check_report(report)]


def goal_analysis_check(committee, event, texts: dict) -> dict[int, list[str]]:
    """The report check on goal analyses as typed ({goal: text}): figures in each analysis
    against the report's tables, the findings on the analysis's own lines."""
    from styra.lib.errors import UsageError

    from . import definitions as defs
    from .selectors import analysis_findings

    try:
        report_type = defs.for_event(event.code)
        found = analysis_findings(committee, event, report_type, texts)
    except (UsageError, ValueError):
        return {}  # no report for this kind of event: nothing to check against
    return {goal_id: [f.message for f in fs] for goal_id, fs in found.items()}
