"""The course map run_notebooks.py writes (build/notebooks/index.html), without a kernel: fake notebooks and results.

    /usr/bin/python3 environment/kernel/tests/test_course_index.py
"""
import os
import sys
import tempfile
import unittest

import nbformat

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_notebooks  # noqa: E402


def notebook(path, first_markdown):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(first_markdown), nbformat.v4.new_code_cell("int x = 1;")]
    nbformat.write(nb, path)


class CourseIndexTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.src = os.path.join(self.tmp.name, "notebooks")
        self.out = os.path.join(self.tmp.name, "build")
        os.makedirs(self.src)
        os.makedirs(self.out)
        notebook(os.path.join(self.src, "01-format.ipynb"),
                 "# 01 · Format the data\n\n**Goal.** x\n\n**Run time.** About 20 seconds on 2 cores\n(`ROWS = 0`).\n\nmore")
        notebook(os.path.join(self.src, "00-setup.ipynb"), "# 00 · Setup <check>\n\nno time stated")
        notebook(os.path.join(self.src, "02-diag.ipynb"), "# 02 · Diagnosis\n\n**Run time.** 40 s.")

    def tearDown(self):
        self.tmp.cleanup()

    def test_describe_reads_the_title_and_the_whole_run_time_paragraph(self):
        title, stated = run_notebooks.describe(os.path.join(self.src, "01-format.ipynb"))
        self.assertEqual("01 · Format the data", title)
        self.assertEqual("About 20 seconds on 2 cores (`ROWS = 0`).", stated)
        self.assertIsNone(run_notebooks.describe(os.path.join(self.src, "00-setup.ipynb"))[1])

    def test_index_lists_every_notebook_in_order_with_this_and_earlier_results(self):
        open(os.path.join(self.out, "00-setup.html"), "w").close()
        open(os.path.join(self.out, "01-format.html"), "w").close()
        results = {}
        run_notebooks.record(results, "00-setup.ipynb", True, 3.14, None)
        run_notebooks.record(results, "01-format.ipynb", False, 7.0, "cell 3: CHECK FAILED: loss fell")
        results["00-setup.ipynb"]["when"] = "2026-01-01T00:00:00+00:00"
        page_path = run_notebooks.write_index(self.out, [os.path.join(self.src, "01-format.ipynb")],
                                              {"01-format.ipynb"}, results)
        with open(page_path, encoding="utf-8") as f:
            page = f.read()
        # order: 00, 01, 02 whatever order the folder lists them in
        self.assertLess(page.index("00-setup.ipynb"), page.index("01-format.ipynb"))
        self.assertLess(page.index("01-format.ipynb"), page.index("02-diag.ipynb"))
        self.assertIn('<a href="00-setup.html">00 · Setup &lt;check&gt;</a>', page)  # title escaped
        self.assertIn('<a href="01-format.html">01 · Format the data</a>', page)
        self.assertNotIn('href="02-diag.html"', page)  # never executed: no export to link to
        self.assertIn("About 20 seconds on 2 cores (<code>ROWS = 0</code>).", page)
        self.assertIn("not stated", page)
        self.assertIn("pass <small>(earlier run, 2026-01-01T00:00:00+00:00)</small>", page)
        self.assertIn("FAIL<br><small>cell 3: CHECK FAILED: loss fell</small>", page)
        self.assertIn("<td class=num>3.1</td>", page)
        self.assertIn("<td class=num>7.0</td>", page)
        self.assertIn("1 passed, 1 failed, 1 not run", page)
        # offline: nothing is fetched from anywhere
        self.assertNotIn("http", page)
        self.assertNotIn("<script", page)


if __name__ == "__main__":
    unittest.main()
