"""Kernels kept for the next chapter: one kernel per worker thread runs several chapters in turn.

A kernel start with the imports of pandas, matplotlib and the package costs about 1.5-2 s of CPU;
paid once per worker instead of once per chapter, a render of nine chapters on two workers saves
seven of them (README: Speed). Each chapter is parameterised as papermill does it (the injected
parameters cell after the ``parameters`` cell) and executed by nbclient with the chapter's time
limit; before a kept kernel runs the next chapter its namespace is reset (``%reset -f``, figures
closed, execution count back to 1), so a chapter sees only its own names, and the modules stay
imported. A kernel that timed out or died is discarded; the next chapter gets a new one.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

KERNEL_NAME = "python3"
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
# Run between two chapters in the same kernel. IPython adds one to the execution count after
# this cell, so the next chapter's first cell is numbered 1, as in a new kernel.
RESET = """\
get_ipython().run_line_magic("reset", "-f")
import sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
del _sys
get_ipython().execution_count = 0
"""


class ChapterKernel:
    """A kernel in ``cwd`` that runs chapters one after another (use it from one thread only)."""

    def __init__(self, cwd: Path, timeout: int):
        self.cwd = Path(cwd)
        self.timeout = timeout
        self._km = None
        self._kc = None
        self._used = False
        self.starts = 0  # kernels started (a measure for the benchmark and the tests)

    def _client(self, notebook) -> NotebookClient:
        client = NotebookClient(
            notebook,
            km=self._km,
            kernel_name=KERNEL_NAME,
            timeout=self.timeout,
            extra_arguments=KERNEL_ARGUMENTS,
            resources={"metadata": {"path": str(self.cwd)}},
        )
        client.kc = self._kc
        return client

    def execute(self, notebook: Path, executed: Path, parameters: dict) -> None:
        """Run one chapter; the executed notebook is written in every case (also on failure).

        Raises nbclient's CellExecutionError (the kernel is kept), CellTimeoutError or
        DeadKernelError (the kernel is discarded), like papermill's execution would.
        """
        book = parameterize_notebook(load_notebook_node(str(notebook)), parameters, kernel_name=KERNEL_NAME)
        try:
            if self._used:
                self._run_reset()
            client = self._client(book)
            self._used = True
            try:
                if self._km is None:
                    self.starts += 1
                    try:
                        client.execute(cleanup_kc=False)
                    finally:  # kept, or stopped by close() below
                        self._km, self._kc = client.km, client.kc
                else:
                    client.execute()
            finally:
                nbformat.write(book, executed)
        except CellExecutionError:
            raise
        except BaseException:
            self.close()
            raise

    def _run_reset(self) -> None:
        reset = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(RESET)])
        try:
            self._client(reset).execute()
        except Exception:  # noqa: BLE001 — a kernel that cannot be reset is replaced
            self.close()

    def close(self) -> None:
        """Stop the kernel (from the thread that used it)."""
        km, kc = self._km, self._kc
        self._km = self._kc = None
        self._used = False
        if km is None:
            return
        with contextlib.suppress(Exception):  # already dead: nothing to stop
            if kc is not None:
                kc.stop_channels()
            run_sync(km.shutdown_kernel)(now=True)
