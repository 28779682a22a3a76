"""``python -m zfxxgk``: see ``zfxxgk.cli``."""
import sys

from .cli import main

sys.exit(main())
