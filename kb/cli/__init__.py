"""The `kb` command line: thin click commands over kb.content, kb.search and kb.site. The only home of click."""
