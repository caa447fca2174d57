"""``python -m denialkit`` runs the command line."""

from denialkit.cli import main

raise SystemExit(main())
