"""Where the JSON schema of `styra check --format json` lives (shipped as package data)."""

from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("schema.json")
