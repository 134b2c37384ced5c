"""storeFile, fetchFile, fetchTryFile, findFile, findTryFile and makefile."""

from __future__ import annotations

import io
import os

import pytest

from nws.client import NwsTimeoutException


@pytest.fixture
def data_file(tmp_path):
    content = bytes(range(256)) * 1000 + b"tail"
    path = tmp_path / "data.bin"
    path.write_bytes(content)
    return path, content


def test_storeFile_stores_the_whole_file_as_bytes(ws, data_file):
    path, content = data_file
    with open(path, "rb") as f:
        assert ws.storeFile("f", f) == len(content)
        assert ws.storeFile("f", f) == 0  # nothing left: nothing stored
    assert ws._native.retrieve("findTry", b"f")[0] == 0x01000003
    assert ws.fetch("f") == content
    assert ws.fetchTry("f") is None


def test_storeFile_with_n_splits_a_file_into_values(ws, data_file):
    path, content = data_file
    sizes = []
    with open(path, "rb") as f:
        while True:
            n = ws.storeFile("parts", f, 100000)
            if not n:
                break
            sizes.append(n)
    assert sizes == [100000, 100000, 56004]
    assert b"".join(ws.ifetchTry("parts")) == content


def test_storeFile_starts_at_the_current_position(ws, data_file):
    path, content = data_file
    with open(path, "rb") as f:
        f.seek(1000)
        assert ws.storeFile("f", f) == len(content) - 1000
    assert ws.fetch("f") == content[1000:]


def test_storeFile_from_in_memory_and_unseekable_streams(ws):
    assert ws.storeFile("m", io.BytesIO(b"in memory")) == 9
    assert ws.fetch("m") == b"in memory"

    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self._data = data

        def readable(self):
            return True

        def readinto(self, b):
            n = min(len(b), len(self._data))
            b[:n] = self._data[:n]
            self._data = self._data[n:]
            return n

    assert ws.storeFile("p", Pipe(b"x" * 70000), 1000) == 1000
    assert ws.fetch("p") == b"x" * 1000


def test_storeFile_pads_a_file_that_ends_early(ws):
    class Liar(io.BytesIO):
        # Claims 100 bytes but yields 10: the announced length is already
        # on the wire, so the value is padded with zeros (as the original).
        def seek(self, pos, whence=0):
            return 100 if whence == io.SEEK_END else super().seek(pos, whence)

    with pytest.warns(UserWarning, match="padded"):
        assert ws.storeFile("short", Liar(b"0123456789")) == 100
    assert ws.fetch("short") == b"0123456789" + bytes(90)


def test_storeFile_needs_a_binary_file(ws, tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("text")
    with open(path, "r") as f, pytest.raises(TypeError):
        ws.storeFile("t", f)


def test_fetchFile_writes_the_value_and_removes_it(ws, tmp_path):
    ws.store("v", bytes(range(256)))
    path = tmp_path / "out.bin"
    with open(path, "wb") as f:
        assert ws.fetchFile("v", f) == 256
    assert path.read_bytes() == bytes(range(256))
    assert ws.fetchTry("v") is None


def test_findFile_writes_the_value_and_keeps_it(ws):
    ws.store("v", "text ✓")
    out = io.BytesIO()
    assert ws.findFile("v", out) == len("text ✓".encode())
    assert out.getvalue() == "text ✓".encode()
    assert ws.fetch("v") == "text ✓"


def test_file_helpers_write_the_raw_bytes_of_pickled_values(ws):
    ws.store("p", {"k": 1})
    out = io.BytesIO()
    n = ws.findFile("p", out)
    assert n == len(out.getvalue()) > 0
    assert out.getvalue()[:2] == b"\x80\x02"


def test_try_file_helpers_return_false_when_there_is_no_value(ws):
    out = io.BytesIO()
    assert ws.fetchTryFile("none", out) is False
    assert ws.findTryFile("none", out) is False
    assert out.getvalue() == b""
    ws.store("v", b"12345")
    assert ws.findTryFile("v", out) == 5
    assert ws.fetchTryFile("v", out) == 5
    assert out.getvalue() == b"1234512345"
    assert ws.fetchTryFile("v", out) is False


def test_large_value_streams_to_a_file(ws, tmp_path):
    big = os.urandom(1 << 20) * 24
    ws.store("big", big)
    path = tmp_path / "big.bin"
    with open(path, "wb") as f:
        assert ws.fetchFile("big", f) == len(big)
    assert path.read_bytes() == big


def test_blocking_file_helpers_take_a_timeout(ws):
    with pytest.raises(NwsTimeoutException):
        ws.fetchFile("none", io.BytesIO(), timeout=0.1)
    with pytest.raises(NwsTimeoutException):
        ws.findFile("none", io.BytesIO(), timeout=0.1)


def test_a_failing_file_write_is_raised_and_the_connection_survives(ws):
    class Full(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            raise OSError(28, "No space left on device")

    ws.store("v", b"x" * 100000)
    with pytest.raises(OSError, match="No space"):
        ws.fetchFile("v", Full())
    ws.store("w", 1)
    assert ws.fetch("w") == 1


def test_file_helpers_need_a_binary_writable_file(ws, tmp_path):
    ws.store("v", "x")
    with open(tmp_path / "t.txt", "w") as f, pytest.raises(TypeError):
        ws.findFile("v", f)


def test_makefile_write_stores_one_value_per_line(ws):
    with ws.makefile("log", "w") as f:
        f.write("first line\nsecond")
        f.write(" half\nthird\n")
        f.writelines(["no newline"])
    assert list(ws.ifindTry("log")) == ["first line\n", "second half\n", "third\n", "no newline"]


def test_makefile_w_empties_and_a_appends(ws):
    ws.store("log", "old\n")
    with ws.makefile("log", "a") as f:
        f.write("appended\n")
    assert list(ws.ifindTry("log")) == ["old\n", "appended\n"]
    with ws.makefile("log", "w") as f:
        f.write("fresh\n")
    assert list(ws.ifindTry("log")) == ["fresh\n"]


def test_makefile_read(ws):
    for v in ("alpha\nbe", "ta\n", "gamma\n", "delta"):
        ws.store("txt", v)
    f = ws.makefile("txt")
    assert f.readline() == "alpha\n"
    assert f.read(3) == "bet"
    assert f.readline() == "a\n"
    assert list(f) == ["gamma\n", "delta"]
    assert f.read() == ""
    f.close()
    with pytest.raises(ValueError):
        f.read()
    with ws.makefile("txt", "r") as g:
        assert g.readlines() == ["alpha\n", "beta\n", "gamma\n", "delta"]
    assert ws.listVars(format="dict")["txt"][1] == 4  # reading leaves the values


def test_makefile_modes(ws):
    with pytest.raises(ValueError):
        ws.makefile("x", "rb")
    with pytest.raises(ValueError):
        ws.makefile("x", "x")
    with ws.makefile("x", "r") as f, pytest.raises(ValueError):
        f.write("no")
    with ws.makefile("y", "w") as f, pytest.raises(ValueError):
        f.read()
