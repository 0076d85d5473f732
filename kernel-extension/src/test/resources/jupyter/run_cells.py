"""Runs cells one at a time on a kernel through jupyter_client (the client library Jupyter's front ends use) and
records what each cell received; it can interrupt a cell, as a user pressing the stop button does.

Usage: python3 run_cells.py <cells.json> <out.json> <kernel name> <timeout seconds>
cells.json: a list of {"source": "...", "interrupt_on": "text"}; interrupt_on (optional) sends the kernel an
interrupt as soon as an output of that cell contains the text. out.json: one entry per cell with "outputs" (in
nbformat's shape), "reply" (ok or error), "display_updates" (update_display_data messages) and "seconds".
"""
import json
import queue
import sys
import time

from jupyter_client.manager import KernelManager


def text_of(content):
    if "text" in content:
        return content["text"]
    return json.dumps(content.get("data", {}))


def run_cell(km, client, cell, deadline):
    msg_id = client.execute(cell["source"])
    record = {"outputs": [], "reply": None, "display_updates": 0}
    started = time.monotonic()
    interrupted = False
    idle = False
    while record["reply"] is None or not idle:
        if time.monotonic() > deadline:
            raise SystemExit("timed out running: " + cell["source"][:200])
        try:
            message = client.get_iopub_msg(timeout=0.05)
            if message["parent_header"].get("msg_id") == msg_id:
                kind, content = message["msg_type"], message["content"]
                if kind == "status" and content["execution_state"] == "idle":
                    idle = True
                elif kind == "stream":
                    record["outputs"].append({"output_type": "stream", "name": content["name"], "text": content["text"]})
                elif kind in ("display_data", "execute_result"):
                    record["outputs"].append({"output_type": kind, "data": content["data"]})
                elif kind == "update_display_data":
                    record["display_updates"] += 1
                elif kind == "error":
                    record["outputs"].append({"output_type": "error", "ename": content["ename"],
                                              "evalue": content["evalue"], "traceback": content["traceback"]})
                trigger = cell.get("interrupt_on")
                if trigger and not interrupted and trigger in text_of(content):
                    km.interrupt_kernel()
                    interrupted = True
        except queue.Empty:
            pass
        try:
            reply = client.get_shell_msg(timeout=0.01)
            if reply["parent_header"].get("msg_id") == msg_id:
                record["reply"] = reply["content"]["status"]
        except queue.Empty:
            pass
    record["seconds"] = round(time.monotonic() - started, 3)
    return record


cells_file, out_file, kernel, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cells = json.load(open(cells_file))
km = KernelManager(kernel_name=kernel)
km.start_kernel()
client = km.client()
client.start_channels()
try:
    client.wait_for_ready(timeout=120)
    deadline = time.monotonic() + timeout
    records = [run_cell(km, client, cell, deadline) for cell in cells]
    json.dump(records, open(out_file, "w"), indent=1)
finally:
    client.stop_channels()
    km.shutdown_kernel(now=True)
