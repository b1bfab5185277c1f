"""Sphinx configuration of the custometrics documentation site.

Built by ``scripts/docs.sh`` into ``build/docs/html`` with warnings as errors; the tutorials in
``docs/tutorials`` are MyST notebooks (text files) that MyST-NB executes on every build, so
every number and chart on the site comes from the installed package.
"""

import os

import custometrics

project = "custometrics"
author = "the custometrics developers"
copyright = "2026, the custometrics developers"
version = release = custometrics.__version__

extensions = [
    "myst_nb",  # MyST markdown pages and executed notebooks
    "sphinx.ext.autodoc",
    "numpydoc",  # the package's docstrings are numpydoc
]

root_doc = "index"
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "examples", "**.ipynb_checkpoints", "Doxyfile"]

myst_enable_extensions = ["colon_fence", "dollarmath", "deflist"]
myst_heading_anchors = 3

# Every notebook runs on every build, and a cell that raises fails the build.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = int(os.environ.get("CUSTOMETRICS_DOCS_TIMEOUT", "600"))
nb_execution_show_tb = True
nb_merge_streams = True

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the numpydoc "Parameters" sections carry the types

html_theme = "furo"
html_title = f"custometrics {release}"
# The C++ API reference (Doxygen's HTML from the headers) is written by scripts/docs.sh into
# build/docs/html/cpp/, beside this site; api/cpp.md links to it.
