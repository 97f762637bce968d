"""Tests of the Python package against the CLI on the same files (make python-test).

BACKSLASH_BIN names the CLI binary (the Makefile passes target/debug/backslash). Every figure the
package returns for a file is compared with the CLI's for that file: stats --json equal, encode
and decode outputs byte for byte equal.
"""

import json
import os
import struct
import subprocess
import tempfile
import unittest

import numpy as np

import backslash

CLI = os.environ.get("BACKSLASH_BIN", "backslash")


def write_safetensors(path, tensors):
    """A safetensors file written from the format's definition (8-byte header length, JSON
    header, little-endian data), independently of the Rust writer."""
    names = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(np.int64): "I64", np.dtype(np.uint8): "U8"}
    header, blobs, offset = {}, [], 0
    for name, a in tensors.items():
        b = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": names[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def cli(*args):
    r = subprocess.run([CLI, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"{CLI} {' '.join(args)} failed: {r.stderr}")
    return r.stdout


class Model(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        rng = np.random.default_rng(7)
        cls.w1 = (rng.laplace(scale=0.02, size=(64, 48))).astype(np.float32)
        cls.w1[rng.random(cls.w1.shape) < 0.6] = 0.0
        cls.b1 = rng.normal(scale=0.1, size=64).astype(np.float32)
        cls.h = rng.normal(scale=0.05, size=(16, 16)).astype(np.float16)
        cls.ids = np.arange(12, dtype=np.int64).reshape(3, 4)
        cls.model = os.path.join(cls.dir.name, "m.safetensors")
        write_safetensors(cls.model, {"w1": cls.w1, "b1": cls.b1, "h": cls.h, "ids": cls.ids})

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def test_stats_of_a_file_equal_the_cli(self):
        for step in (4, 8):
            ours = backslash.stats(self.model, step_bits=step)
            theirs = json.loads(cli("stats", "--json", "--step-bits", str(step), self.model))
            self.assertEqual(ours, theirs)
            self.assertEqual([t["name"] for t in ours["tensors"]], ["w1", "b1", "h"])
            self.assertEqual(ours["skipped"], ["ids"])

    def test_encode_and_decode_of_a_file_equal_the_cli(self):
        for code, k in [("auto", "auto"), ("eg", 0), ("eg", 3), ("fixed", "auto"), ("huffman", "auto"), ("auto", 1)]:
            ours, theirs = self.path(f"ours{code}{k}.bsz"), self.path(f"cli{code}{k}.bsz")
            t = backslash.encode(self.model, ours, step_bits=8, code=code, k=k)
            cli("encode", self.model, "-o", theirs, "--code", code, "--k", str(k))
            with open(ours, "rb") as a, open(theirs, "rb") as b:
                self.assertEqual(a.read(), b.read(), f"code={code} k={k}")
            self.assertEqual((t["tensors"], t["coded"], t["raw"]), (4, 3, 1))
            self.assertEqual(t["eg"] + t["fixed"] + t["huffman"], 3)
            if code != "auto":
                self.assertEqual(t[code], 3)
            self.assertEqual(t["params"], 64 * 48 + 64 + 256)
            self.assertEqual(t["bytes"], os.path.getsize(ours))
        ours, theirs = self.path("exact.bsz"), self.path("cli_exact.bsz")
        t = backslash.encode(self.model, ours, exact="^b|h$")
        cli("encode", self.model, "-o", theirs, "--exact", "^b|h$")
        with open(ours, "rb") as a, open(theirs, "rb") as b:
            self.assertEqual(a.read(), b.read())
        self.assertEqual((t["coded"], t["raw"], t["exact"]), (1, 3, 2))
        with open(ours, "rb") as f:
            back = backslash.decode(f.read())
        self.assertEqual(back["h"].dtype, np.float16)
        self.assertTrue(np.array_equal(back["h"], self.h))
        self.assertTrue(np.array_equal(back["b1"], self.b1))
        out, cli_out = self.path("back.safetensors"), self.path("cli_back.safetensors")
        d = backslash.decode(self.path("oursautoauto.bsz"), out)
        cli("decode", self.path("oursautoauto.bsz"), "-o", cli_out)
        with open(out, "rb") as a, open(cli_out, "rb") as b:
            self.assertEqual(a.read(), b.read())
        self.assertEqual(d, {"tensors": 4, "bytes": os.path.getsize(out)})

    def test_codes_are_those_inspect_shows(self):
        bsz = self.path("codes.bsz")
        backslash.encode(self.model, bsz, code="eg", k=2)
        info = json.loads(cli("inspect", "--json", bsz))
        self.assertEqual(info["version"], backslash.CONTAINER_VERSION)
        theirs = {r["name"]: (r["code"] or "raw") for r in info["records"]}
        self.assertEqual(backslash.codes(bsz), theirs)
        self.assertEqual(backslash.codes(bsz)["w1"], "eg(2)")
        self.assertEqual(backslash.codes(bsz)["ids"], "raw")

    def test_arrays_encode_as_the_same_tensors_in_a_file(self):
        blob = backslash.encode({"w1": self.w1, "b1": self.b1, "h": self.h})
        only = self.path("floats.safetensors")
        write_safetensors(only, {"w1": self.w1, "b1": self.b1, "h": self.h.astype(np.float32)})
        backslash.encode(only, self.path("floats.bsz"))
        with open(self.path("floats.bsz"), "rb") as f:
            self.assertEqual(blob, f.read())
        back = backslash.decode(blob)
        for name, a in (("w1", self.w1), ("b1", self.b1), ("h", self.h)):
            want = backslash.dequantize(backslash.quantize(a))
            self.assertEqual(back[name].dtype, np.float32)
            self.assertTrue(np.array_equal(back[name], want), name)
        self.assertEqual(backslash.stats({"w1": self.w1})["tensors"][0]["nu"], backslash.stats(self.w1)["nu"])

    def test_raw_tensors_come_back_with_their_dtype(self):
        p = self.path("raw.bsz")
        backslash.encode(self.model, p)
        with open(p, "rb") as f:
            out = backslash.decode(f.read())
        self.assertEqual(out["ids"].dtype, np.int64)
        self.assertTrue(np.array_equal(out["ids"], self.ids))

    def test_array_stats_row(self):
        row = backslash.stats(self.w1, step_bits=8)
        q = backslash.quantize(self.w1, 8)
        values, idx, counts = backslash.value_map(q)
        self.assertEqual(row["params"], self.w1.size)
        self.assertEqual(row["distinct"], len(values))
        self.assertEqual(values[0], 0)  # 60% zeros: the most frequent value has index 0
        self.assertTrue(np.array_equal(values[idx], q))
        self.assertEqual(int(counts.sum()), q.size)
        self.assertTrue(np.all(np.diff(counts.astype(np.int64)) <= 0))
        self.assertLess(row["best_k_bits_per_weight"], row["fixed_bits_per_weight"])
        self.assertEqual(len(row["eg_bits_per_weight"]), 6)

    def test_quantize_dequantize(self):
        w = np.array([[0.5, -0.5], [1.0 / 512, 3.0]], dtype=np.float32)
        q = backslash.quantize(w, 8)
        self.assertEqual(q.dtype, np.int32)
        self.assertEqual(q.tolist(), [[128, -128], [1, 768]])  # 0.5 / 2^-8 is exact; 2^-9 rounds away
        self.assertEqual(backslash.dequantize(q, 8).tolist(), [[0.5, -0.5], [1.0 / 256, 3.0]])
        self.assertEqual(backslash.quantize(np.float16([0.25]), 2).tolist(), [1])


class BadInput(unittest.TestCase):
    def test_unsupported_arrays_raise_type_errors(self):
        for a in (np.zeros(3), np.zeros(3, dtype=np.int32), np.array(["x"]), [1.0, 2.0]):
            with self.assertRaises(TypeError):
                backslash.encode({"x": a} if isinstance(a, np.ndarray) else a)
            with self.assertRaises(TypeError):
                backslash.stats(a)
        with self.assertRaisesRegex(TypeError, "float64"):
            backslash.quantize(np.zeros(2))
        with self.assertRaises(ValueError):
            backslash.quantize(np.zeros((1,) * 17, dtype=np.float32))
        with self.assertRaises(TypeError):
            backslash.dequantize(np.zeros(2, dtype=np.float32))

    def test_bad_arguments(self):
        w = np.ones(4, dtype=np.float32)
        with self.assertRaises(ValueError):
            backslash.encode(w, step_bits=17)
        with self.assertRaises(ValueError):
            backslash.encode(w, k=16)
        with self.assertRaises(TypeError):
            backslash.encode({"": w})
        with self.assertRaises(TypeError):
            backslash.encode("x.safetensors")  # no output
        with self.assertRaises(ValueError):
            backslash.encode(w, code="zstd")
        with self.assertRaisesRegex(backslash.BackslashError, "exact"):
            backslash.encode("x.safetensors", "x.bsz", exact="(")

    def test_codec_errors_carry_the_rust_message(self):
        with self.assertRaisesRegex(backslash.BackslashError, "cannot read /nonexistent/m.safetensors"):
            backslash.stats("/nonexistent/m.safetensors")
        with self.assertRaisesRegex(backslash.BackslashError, "not a finite"):
            backslash.quantize(np.array([np.nan], dtype=np.float32))
        blob = bytearray(backslash.encode(np.linspace(-1, 1, 100, dtype=np.float32)))
        with self.assertRaisesRegex(backslash.BackslashError, "^cannot read <bytes>: not a BSZ"):
            backslash.decode(b"junk" + bytes(blob[4:]))
        for i in (5, 20, len(blob) - 9):
            bad = bytearray(blob)
            bad[i] ^= 0x10
            with self.assertRaisesRegex(backslash.BackslashError, "CRC mismatch|version|truncated"):
                backslash.decode(bytes(bad))
        with self.assertRaisesRegex(backslash.BackslashError, "truncated"):
            backslash.decode(bytes(blob[:-3]))

    def test_a_failed_encode_writes_no_file(self):
        with tempfile.TemporaryDirectory() as d:
            src, out = os.path.join(d, "bad.safetensors"), os.path.join(d, "out.bsz")
            with open(src, "wb") as f:
                f.write(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json}      ")
            with self.assertRaisesRegex(backslash.BackslashError, "cannot read"):
                backslash.encode(src, out)
            self.assertEqual(os.listdir(d), ["bad.safetensors"])
            good = os.path.join(d, "good.safetensors")
            write_safetensors(good, {"w": np.ones(8, dtype=np.float32)})
            with self.assertRaisesRegex(backslash.BackslashError, "cannot write"):
                backslash.encode(good, os.path.join(d, "no", "dir.bsz"))
            self.assertEqual(sorted(os.listdir(d)), ["bad.safetensors", "good.safetensors"])


if __name__ == "__main__":
    unittest.main()
