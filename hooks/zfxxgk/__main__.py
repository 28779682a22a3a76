"""``python -m zfxxgk``: see ``zfxxgk.tools.cli``."""
import sys

from zfxxgk.tools.cli import main

sys.exit(main())
