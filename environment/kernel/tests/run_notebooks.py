"""Executes notebooks headless with nbclient and writes executed copies plus HTML exports.

    /usr/bin/python3 run_notebooks.py [--require-clean] OUT_DIR NOTEBOOK...

Prints one verdict line per notebook and exits 1 if any notebook has an error output (nbclient stops at the first).
Executed copies go to OUT_DIR, never back into notebooks/. The kernel is the one named in each notebook ("java").
--require-clean (the test command) also fails a notebook committed with outputs or execution counts.

Also writes OUT_DIR/index.html, the course map: every notebook of the executed notebooks' folder(s) in order, with
its number, title (the first markdown heading), its stated run time (the "**Run time.**" line), a link to its HTML
export, and pass/fail with the seconds this execution measured. Results persist in OUT_DIR/course-results.json, so
executing one notebook updates its row and keeps the others' latest results (marked with when they ran). The page
is one self-contained file: inline CSS, no scripts, no external assets.
"""
import datetime
import html
import json
import os
import re
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


def run(path, out_dir, require_clean=False, results=None):
    """Executes one notebook; returns whether it passed. When `results` is a dict, records name → verdict in it."""
    name = os.path.basename(path)
    nb = nbformat.read(path, as_version=4)
    dirty = committed_outputs(nb)
    if require_clean and dirty:
        print(f"FAIL {name}  committed with outputs in cells {dirty}: clear them (Edit > Clear All Outputs) and save",
              flush=True)
        record(results, name, False, None, f"committed with outputs in cells {dirty}", exported=False)
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
        record(results, name, False, seconds, where)
        return False
    print(f"ok   {name}  ({code_cells} code cells, {seconds:.1f} s)  -> {executed}", flush=True)
    record(results, name, True, seconds, None)
    return True


# ---------------------------------------------------------------- the course map (index.html)

RESULTS_FILE = "course-results.json"
RUN_TIME = re.compile(r"\*\*Run time\.?\*\*\s*(.*)")


def record(results, name, ok, seconds, error, exported=True):
    if results is not None:
        results[name] = {"ok": ok, "seconds": None if seconds is None else round(seconds, 1), "error": error,
                         "exported": exported,
                         "when": datetime.datetime.now().astimezone().isoformat(timespec="seconds")}


def describe(path):
    """(title, stated run time) from a notebook's first markdown cell; None for what it does not state."""
    nb = nbformat.read(path, as_version=4)
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first is None:
        return None, None
    lines = first.source.splitlines()
    title = next((l.lstrip("#").strip() for l in lines if l.startswith("#")), None)
    stated = None
    for i, line in enumerate(lines):
        m = RUN_TIME.search(line)
        if m:  # the paragraph from "**Run time.**" to the next blank line
            rest = [m.group(1)] + [l for l in _until_blank(lines[i + 1:])]
            stated = " ".join(p.strip() for p in rest if p.strip())
            break
    return title, stated


def _until_blank(lines):
    for l in lines:
        if not l.strip():
            return
        yield l


def inline_markdown(text):
    """Escapes text for HTML, keeping `code` and **bold** (all a run-time line uses)."""
    out = html.escape(text)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)


def load_results(out_dir):
    try:
        with open(os.path.join(out_dir, RESULTS_FILE), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def write_index(out_dir, notebooks, run_now, results):
    """Writes out_dir/index.html for every notebook beside the ones given (their folders), in file-name order."""
    folders = sorted({os.path.dirname(os.path.abspath(p)) for p in notebooks})
    paths = {}
    for folder in folders:
        for f in os.listdir(folder):
            if f.endswith(".ipynb") and not f.endswith(".nbconvert.ipynb"):
                paths.setdefault(f, os.path.join(folder, f))
    for p in notebooks:
        paths.setdefault(os.path.basename(p), p)
    rows = []
    passed = failed = 0
    for name in sorted(paths):
        title, stated = describe(paths[name])
        number = re.match(r"(\d+)", name)
        res = results.get(name)
        stem = name[:-len(".ipynb")]
        exported = res is not None and res.get("exported", True) and os.path.exists(
            os.path.join(out_dir, stem + ".html"))
        link = f'<a href="{html.escape(stem)}.html">{html.escape(title or name)}</a>' if exported \
            else html.escape(title or name)
        if res is None:
            verdict, cls, secs = "not run", "none", ""
        else:
            passed += res["ok"]
            failed += not res["ok"]
            verdict, cls = ("pass", "ok") if res["ok"] else ("FAIL", "fail")
            if name not in run_now:
                verdict += f" <small>(earlier run, {html.escape(res.get('when', '?'))})</small>"
            if not res["ok"] and res.get("error"):
                verdict += f"<br><small>{html.escape(res['error'])}</small>"
            secs = "" if res.get("seconds") is None else f"{res['seconds']:.1f}"
        rows.append(f"<tr><td class=num>{number.group(1) if number else ''}</td>"
                    f"<td>{link}<br><small><code>{html.escape(name)}</code></small></td>"
                    f"<td>{inline_markdown(stated) if stated else '<small>not stated</small>'}</td>"
                    f"<td class={cls}>{verdict}</td><td class=num>{secs}</td></tr>")
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ThinkLab course</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 72em; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .5em; text-align: left; vertical-align: top; }}
th {{ background: #f4f4f4; }}
td.num {{ text-align: right; white-space: nowrap; }}
td.ok {{ color: #176f2c; font-weight: bold; }}
td.fail {{ color: #b00020; font-weight: bold; }}
td.none {{ color: #777; }}
code {{ background: #f4f4f4; padding: 0 .2em; }}
</style></head><body>
<h1>ThinkLab: the course</h1>
<p>The notebooks in order, executed headless by <code>environment/lab run</code> on {html.escape(when)}:
{passed} passed, {failed} failed, {len(rows) - passed - failed} not run. Each title links to the executed notebook
as HTML; the stated run time is the notebook's own claim, the measured seconds are this machine's execution.</p>
<table>
<tr><th>#</th><th>notebook</th><th>stated run time</th><th>result</th><th>measured s</th></tr>
{chr(10).join(rows)}
</table>
</body></html>
"""
    with open(os.path.join(out_dir, "index.html"), "w", encoding="utf-8") as f:
        f.write(page)
    return os.path.join(out_dir, "index.html")


def main():
    args = sys.argv[1:]
    require_clean = "--require-clean" in args
    args = [a for a in args if a != "--require-clean"]
    out_dir, notebooks = args[0], args[1:]
    os.makedirs(out_dir, exist_ok=True)
    course = load_results(out_dir)
    now = {}
    results = [run(p, out_dir, require_clean, now) for p in notebooks]
    course.update(now)
    with open(os.path.join(out_dir, RESULTS_FILE), "w", encoding="utf-8") as f:
        json.dump(course, f, indent=1, sort_keys=True)
    if notebooks:
        print(f"course map -> {write_index(out_dir, notebooks, set(now), course)}", flush=True)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
