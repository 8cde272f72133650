"""`python -m cljourney`."""

from cljourney.cli import main

main()
