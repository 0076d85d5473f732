"""Turns an executed notebook into a standalone HTML page a browser can screenshot.

Usage: python3 notebook_to_html.py <executed.ipynb> <out.html>
Debian's nbconvert 6.5 blanks inline SVG outputs in its HTML export, so SVG outputs are first rewritten as
<img> tags with a data: URI (text/html outputs), which nbconvert keeps.
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
        if svg is not None:
            encoded = base64.b64encode("".join(svg).encode("utf-8")).decode("ascii")
            data.pop("text/html", None)
            data["text/html"] = f'<img src="data:image/svg+xml;base64,{encoded}" style="max-width:100%">'
notebook.metadata.pop("widgets", None)
body, _ = HTMLExporter().from_notebook_node(notebook)
open(target, "w", encoding="utf-8").write(body)
