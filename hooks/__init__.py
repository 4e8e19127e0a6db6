"""The pre-commit adapter: a thin wrapper over `gate check`."""
