"""Executes notebooks headless with nbclient and writes executed copies plus HTML exports.

    /usr/bin/python3 run_notebooks.py [--require-clean] OUT_DIR NOTEBOOK...

Prints one verdict line per notebook and exits 1 if any notebook has an error output (nbclient stops at the first).
Executed copies go to OUT_DIR, never back into notebooks/. The kernel is the one named in each notebook ("java").
--require-clean (the test command) also fails a notebook committed with outputs or execution counts.
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

CELL_TIMEOUT = int(os.environ.get("THINKLAB_CELL_TIMEOUT", "600"))


def first_error(nb):
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, f"{out.get('ename')}: {out.get('evalue')}"
    return None


def committed_outputs(nb):
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]


def run(path, out_dir, require_clean=False):
    name = os.path.basename(path)
    nb = nbformat.read(path, as_version=4)
    dirty = committed_outputs(nb)
    if require_clean and dirty:
        print(f"FAIL {name}  committed with outputs in cells {dirty}: clear them (Edit > Clear All Outputs) and save",
              flush=True)
        return False
    started = time.time()
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="java",
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    crashed = None
    try:
        client.execute()
    except CellExecutionError:
        pass  # the error output is in the notebook; reported below
    except Exception as e:  # kernel died, timeout, ...
        crashed = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    seconds = time.time() - started
    executed = os.path.join(out_dir, name)
    nbformat.write(nb, executed)
    html, _ = HTMLExporter().from_notebook_node(nb)
    with open(executed[:-len(".ipynb")] + ".html", "w", encoding="utf-8") as f:
        f.write(html)
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    err = first_error(nb)
    if crashed or err:
        where = f"cell {err[0]}: {err[1]}" if err else crashed
        print(f"FAIL {name}  ({code_cells} code cells, {seconds:.1f} s)  {where}  -> {executed}", flush=True)
        return False
    print(f"ok   {name}  ({code_cells} code cells, {seconds:.1f} s)  -> {executed}", flush=True)
    return True


def main():
    args = sys.argv[1:]
    require_clean = "--require-clean" in args
    args = [a for a in args if a != "--require-clean"]
    out_dir, notebooks = args[0], args[1:]
    os.makedirs(out_dir, exist_ok=True)
    results = [run(p, out_dir, require_clean) for p in notebooks]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
