"""Everything about citations: from records and a CSL style to citation and bibliography text.

- `styles`: finding, listing and safely loading styles and locales;
- `csl`: the record as CSL-JSON items, and CSL-JSON read into records;
- `render`: `render()`, the one entry point, and `Renderer` over it;
- `batch`: citing many records, in one process or several, with the same output;
- `engine`: the CSL engine, citeproc-py's classes with lutnick's rules composed over them;
- `markup`: the engine's marked text finished as text, HTML, Markdown, RTF or LaTeX.
"""
