"""Journey -> text renderers (markdown, mermaid, json): a name -> module table."""
