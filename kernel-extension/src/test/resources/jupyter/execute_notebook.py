"""Executes a notebook with a real Jupyter client (nbclient) and saves it with its outputs.

Usage: python3 execute_notebook.py <in.ipynb> <out.ipynb> <kernel name> <timeout seconds>
Errors in cells are kept as outputs (allow_errors) so that the Java test can report them precisely. Each
cell's metadata gets "queuack_display_updates": how many update_display_data messages it received (live
progress updates in place).
"""
import os
import sys

import nbformat
from nbclient import NotebookClient


class CountingClient(NotebookClient):
    def process_message(self, msg, cell, cell_index):
        if msg.get("msg_type") == "update_display_data":
            cell.metadata["queuack_display_updates"] = cell.metadata.get("queuack_display_updates", 0) + 1
        return super().process_message(msg, cell, cell_index)


source, target, kernel, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
notebook = nbformat.read(source, as_version=4)
client = CountingClient(notebook, kernel_name=kernel, timeout=timeout, allow_errors=True,
                        record_timing=False, startup_timeout=120,
                        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}})
client.execute()
nbformat.write(notebook, target)
