"""``python -m neuronlab.cli``: the same as the ``neuronlab`` command."""

import sys

from . import main

sys.exit(main())
