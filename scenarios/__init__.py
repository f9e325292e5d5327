"""Built-in scenario files (TOML). See `model.scenario` for the format."""
