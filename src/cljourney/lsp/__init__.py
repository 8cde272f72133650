"""`cljourney lsp`: the journey checks, navigation and refactors in any editor, over the Language
Server Protocol (pygls; the optional extra `cljourney[lsp]`). Only `cli/lsp.py` imports it."""
