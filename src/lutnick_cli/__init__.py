"""lutnick: one canonical scholarly record, cited and exported correctly."""

import os

__version__ = "0.1.0"

# The canonical record ships inside the package, so an installed `lutnick` never reads the working directory.
EMBEDDED_RECORD_PATH = os.path.join(os.path.dirname(__file__), "data", "article.yaml")
# The form built from it and shipped beside it, which commands read in its place (see embedded.py).
EMBEDDED_JSON_PATH = os.path.join(os.path.dirname(__file__), "data", "article.json")
