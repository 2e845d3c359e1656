"""{% task_progress run %}: a background job's progress, result or error, on any page.
Polls with htmx while unfinished; without JavaScript it offers a link that reloads."""

from django import template

from styra.tasks.selectors import run_state

register = template.Library()


@register.inclusion_tag("tasks/progress.html")
def task_progress(run):
    return {"state": run_state(run)}
