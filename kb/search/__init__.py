"""Search: the Whoosh index, query parsing, text rules, snippets and evaluation. The only home of Whoosh."""
