"""tools/execute.py, the one way notebooks get their outputs: a cell that hangs fails
within its limit, naming the notebook and the cell, instead of stalling the run."""

import time

import nbformat
import pytest

from execute import CELL_TIMEOUT, ExecutionStalled, cell_timeout, execute  # noqa: I001  (tools/)


def test_every_cell_has_a_short_limit_unless_it_sets_its_own():
    assert CELL_TIMEOUT <= 120  # a hang fails within about two minutes
    assert cell_timeout(nbformat.v4.new_code_cell("x = 1")) == CELL_TIMEOUT
    slow = nbformat.v4.new_code_cell("x = 1", metadata={"nnbook": {"timeout": 300}})
    assert cell_timeout(slow) == 300


def test_a_cell_past_its_limit_fails_naming_the_notebook_and_the_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A hang"), nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("import time\ntime.sleep(60)", metadata={"nnbook": {"timeout": 2}})]
    path = tmp_path / "hangs.ipynb"
    nbformat.write(nb, path)
    start = time.perf_counter()
    with pytest.raises(ExecutionStalled, match=r"hangs\.ipynb, cell 2 \(code cell 2\) did not finish "
                                               r"within its limit of 2 s"):
        execute(path)
    assert time.perf_counter() - start < 100  # its 2 s, not the default 120 s (margin for a loaded machine)
    assert nbformat.read(path, as_version=4).cells[1].outputs == []  # nothing stored


def test_a_run_stores_its_outputs_and_returns_the_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    path = tmp_path / "ok.ipynb"
    nbformat.write(nb, path)
    fresh, seconds = execute(path)
    assert fresh.cells[0].outputs[0]["text"] == "42\n" and seconds > 0
    assert nbformat.read(path, as_version=4).cells[0].outputs[0]["text"] == "42\n"


def test_nbval_gives_each_cell_the_same_limit(tmp_path):
    """The root conftest.py hands nbval each cell's limit: a hang fails that cell, named."""
    import shutil
    import subprocess
    import sys

    from helpers import ROOT

    shutil.copy(ROOT / "conftest.py", tmp_path)
    shutil.copytree(ROOT / "tools", tmp_path / "tools", ignore=shutil.ignore_patterns("web", "__pycache__"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("import time\ntime.sleep(60)", metadata={"nnbook": {"timeout": 3}})]
    nbformat.write(nb, tmp_path / "hangs.ipynb")
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval", "hangs.ipynb"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and time.perf_counter() - start < 100, run.stdout[-2000:]  # 3 s, not 120 s
    assert "hangs.ipynb::Cell 1" in run.stdout and "Timeout of 3 seconds exceeded" in run.stdout, run.stdout[-2000:]


def test_the_client_looks_at_its_channels_again_every_slice(monkeypatch):
    """A reply whose wake-up the event loop missed is found at the end of the next slice
    (POLL_SLICE), not when the cell's whole limit runs out; a real timeout still ends in Empty."""
    import asyncio
    import queue

    import execute
    from jupyter_client.channels import AsyncZMQSocketChannel

    asked = []

    async def missed_twice(self, timeout=None):  # the base channel: nothing seen for two slices
        asked.append(timeout)
        if len(asked) <= 2:
            raise queue.Empty
        return {"msg_type": "execute_reply"}

    monkeypatch.setattr(AsyncZMQSocketChannel, "get_msg", missed_twice)
    channel = execute.SlicedChannel.__new__(execute.SlicedChannel)
    assert asyncio.run(channel.get_msg(timeout=120)) == {"msg_type": "execute_reply"}
    assert asked == [execute.POLL_SLICE] * 3
    asked.clear()
    assert asyncio.run(channel.get_msg(timeout=None))["msg_type"] == "execute_reply"
    assert asked == [execute.POLL_SLICE] * 3

    async def never(self, timeout=None):
        await asyncio.sleep(timeout)
        raise queue.Empty

    monkeypatch.setattr(AsyncZMQSocketChannel, "get_msg", never)
    start = time.perf_counter()
    with pytest.raises(queue.Empty):
        asyncio.run(channel.get_msg(timeout=2.5))
    assert 2.4 < time.perf_counter() - start < 4


def test_a_print_cut_in_two_chunks_is_stored_as_one():
    from execute import _merged_streams

    out = [nbformat.v4.new_output("stream", name="stdout", text="max |a - b| < 1e-12"),
           nbformat.v4.new_output("stream", name="stdout", text=" (asserted)\n"),
           nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
           nbformat.v4.new_output("stream", name="stdout", text="next\n")]
    merged = _merged_streams(out)
    assert [(o["name"], o["text"]) for o in merged] == [
        ("stdout", "max |a - b| < 1e-12 (asserted)\n"), ("stderr", "warning\n"), ("stdout", "next\n")]
