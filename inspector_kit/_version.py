"""The package version (read by hatchling and by the User-Agent suffix)."""

__version__ = "0.1.0.dev0"
