"""Commands that write journey files: fmt, rename, move and validate --fix.

Each one is a pure function from file texts to new texts plus a list of what changed; the CLI
writes the results (atomically, cli/atomic.py). Every new text is parsed again before it is
returned, so no command writes a file that does not parse. ruamel.yaml (round-trip mode, which
keeps comments) is imported here and nowhere else, and only by the commands that need it.
"""
