"""`python -m fatal_remedies` runs the command line."""

from .cli import main

main()
