"""Site: the pure renderer, Markdown sanitising, the MkDocs plugin and the dataset export. The only home of Jinja2, Markdown, nh3 and MkDocs."""
