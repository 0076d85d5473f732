"""Turns an executed notebook into a standalone HTML page a browser can screenshot.

Usage: python3 notebook_to_html.py <executed.ipynb> <out.html>
Debian's nbconvert 6.5 blanks SVG outputs in its HTML export, so an SVG output without an HTML one is first
rewritten as an <img> tag with a data: URI; outputs that have HTML (a run: picture and timeline) keep it.
"""
import base64
import sys

import nbformat
from nbconvert import HTMLExporter

source, target = sys.argv[1], sys.argv[2]
notebook = nbformat.read(source, as_version=4)
for cell in notebook.cells:
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        svg = data.pop("image/svg+xml", None)
        if svg is not None and "text/html" not in data:
            encoded = base64.b64encode("".join(svg).encode("utf-8")).decode("ascii")
            data["text/html"] = f'<img src="data:image/svg+xml;base64,{encoded}" style="max-width:100%">'
notebook.metadata.pop("widgets", None)
body, _ = HTMLExporter().from_notebook_node(notebook)
open(target, "w", encoding="utf-8").write(body)
