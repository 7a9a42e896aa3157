"""lutnick: one canonical scholarly record, cited and exported correctly."""

__version__ = "0.1.0"
