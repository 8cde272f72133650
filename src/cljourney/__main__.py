"""`python -m cljourney`."""

from cljourney.entry import main

main()
