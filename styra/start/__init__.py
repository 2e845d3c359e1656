"""The start page per role: what the signed-in person would do next (reads many apps, so
it sits at the top of the layers; see .importlinter)."""
