import sys

from moisinno_data.cli import main

sys.exit(main())
