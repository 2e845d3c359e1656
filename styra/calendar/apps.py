from django.apps import AppConfig


def approved_tree_problems(node, years: set[int]) -> list[str]:
    """A node may not leave or change place in a year an approved event shows: that
    event's tree stays as it was approved (styra.org.services.register_tree_check)."""
    from .locks import locked_events

    committee = node.committee()
    if committee is None:
        return []
    problems = []
    for event in locked_events(committee, None):
        if event.year in years and node.valid_in_year(event.year):
            problems.append(
                f"{node.name} ingår i {event.name}, som nämnden har godkänt; trädet för "
                f"{event.year} ändras inte. Stäng enheten tidigast {event.year}-12-31; en "
                "ny plats får den som en ny enhet med den här som föregångare."
            )
    return problems


class CalendarConfig(AppConfig):
    name = "styra.calendar"
    label = "calendar"
    verbose_name = "Årets kalender"

    def ready(self) -> None:
        from styra.org.services import register_tree_check

        register_tree_check(approved_tree_problems)
