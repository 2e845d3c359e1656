"""The system actor the tests use where the CLI or the demo would (styra.org.access)."""

from styra.org.access import system_actor

SYSTEM = system_actor("test")
