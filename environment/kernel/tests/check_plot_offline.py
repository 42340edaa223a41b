"""Opens a notebook's HTML export in headless Chromium with every network path closed and checks that each Plotly
chart was drawn (Plotly marks a drawn div with class "js-plotly-plot" and fills it with an <svg class="main-svg">).

    /usr/bin/python3 check_plot_offline.py build/notebooks/00-setup-check.html ["expected title" ...]

Fails when the export has no chart, when a chart div stays empty, or when an expected title is missing (plotly.js 3
silently drops Tablesaw's string titles; 2.35.3 draws them).
"""
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    html_path, titles = sys.argv[1], sys.argv[2:]
    source = open(html_path, encoding="utf-8").read()
    ids = sorted(set(re.findall(r'<div id=\\?"(thinklab_plot_[A-Za-z0-9_]+)\\?"', source)))
    if not ids:
        print(f"FAIL plot-offline: no chart in {html_path}")
        sys.exit(1)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("FAIL plot-offline: chromium not found (Debian: apt-get install chromium)")
        sys.exit(1)
    profile = tempfile.mkdtemp(prefix="thinklab-chromium-")
    try:
        dom = subprocess.run([
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
            f"--user-data-dir={profile}",
            # no network at all: every host resolves to nothing and any proxy use goes to a closed port
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
            "--virtual-time-budget=20000", "--dump-dom", "file://" + __import__("os").path.abspath(html_path)],
            capture_output=True, text=True, timeout=180).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    failures = []
    for div_id in ids:
        m = re.search(r'<div id="%s"[^>]*>' % div_id, dom)
        if not m or "js-plotly-plot" not in m.group(0):
            failures.append(f"chart {div_id} was not drawn")
            continue
        if '<svg class="main-svg"' not in dom[m.end():m.end() + 20000]:
            failures.append(f"chart {div_id} has no svg")
    for title in titles:
        if f'data-unformatted="{title}"' not in dom:
            failures.append(f"title {title!r} not drawn")
    if failures:
        print("FAIL plot-offline: " + "; ".join(failures))
        sys.exit(1)
    print(f"ok   plot-offline: {len(ids)} chart(s) drawn with no network in {html_path}")


if __name__ == "__main__":
    main()
