"""Executes a notebook with a real Jupyter client (nbclient) and saves it with its outputs.

Usage: python3 execute_notebook.py <in.ipynb> <out.ipynb> <kernel name> <timeout seconds>
Errors in cells are kept as outputs (allow_errors) so that the Java test can report them precisely.
"""
import sys

import nbformat
from nbclient import NotebookClient

source, target, kernel, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
notebook = nbformat.read(source, as_version=4)
client = NotebookClient(notebook, kernel_name=kernel, timeout=timeout, allow_errors=True,
                        record_timing=False, startup_timeout=120)
client.execute()
nbformat.write(notebook, target)
