"""`python -m cljourney`."""

from cljourney.cli.entry import main

main()
