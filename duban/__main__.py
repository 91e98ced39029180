"""``python -m duban`` behaves like the ``duban`` command."""

import sys

from duban.cli import main

sys.exit(main())
