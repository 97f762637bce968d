"""BackSlash: rate-constrained model compression (quantization with step 2^-n, a frequency-ranked
value map, exp-Golomb codes in the BSZ container).

The functions work on safetensors / BSZ files (paths) and on numpy arrays. They run the same Rust
code as the ``backslash`` command-line tool, so their figures are the CLI's on the same input.

    >>> import backslash, numpy as np
    >>> w = (np.random.default_rng(0).laplace(size=(64, 64)) / 50).astype(np.float32)
    >>> s = backslash.stats(w)                       # nu, bits/weight per code
    >>> blob = backslash.encode({"w": w})            # a BSZ container, as bytes
    >>> back = backslash.decode(blob)["w"]           # float32, q * 2^-8 exactly
    >>> bool(np.array_equal(back, backslash.dequantize(backslash.quantize(w))))
    True

Errors of the codec (a corrupt container, a bad file, an out-of-range argument) raise
``BackslashError`` with the Rust message; arrays of an unsupported dtype raise ``TypeError``.
"""

import json
import os

import numpy as np

from . import _native
from ._native import BackslashError, CONTAINER_VERSION, MAX_K, MAX_STEP_BITS

__all__ = [
    "BackslashError",
    "CODES",
    "CONTAINER_VERSION",
    "MAX_K",
    "MAX_STEP_BITS",
    "codes",
    "decode",
    "dequantize",
    "encode",
    "quantize",
    "stats",
    "value_map",
]

# numpy dtypes -> safetensors dtype names of raw (non-coded) tensors, both ways.
_RAW_DTYPES = {
    "BOOL": np.bool_,
    "U8": np.uint8,
    "I8": np.int8,
    "I16": np.int16,
    "U16": np.uint16,
    "I32": np.int32,
    "U32": np.uint32,
    "I64": np.int64,
    "U64": np.uint64,
    "F64": np.float64,
    "F16": np.float16,
    "F32": np.float32,
}


def _is_path(x):
    return isinstance(x, (str, os.PathLike))


def _floats(a, what="array"):
    """A C-contiguous float32 view or copy of ``a``: float32 as is, float16 widened exactly.
    Anything else raises TypeError (float64 is refused rather than silently rounded)."""
    if not isinstance(a, np.ndarray):
        raise TypeError(f"{what}: expected a numpy array, got {type(a).__name__}")
    if a.dtype == np.float32:
        pass
    elif a.dtype == np.float16:
        a = a.astype(np.float32)
    elif a.dtype == np.float64:
        raise TypeError(
            f"{what}: float64 arrays are not supported (the codec reads float32, float16 and "
            "bfloat16 weights); convert with .astype(np.float32)"
        )
    else:
        raise TypeError(f"{what}: unsupported dtype {a.dtype} (expected float32 or float16)")
    if a.ndim > 16:
        raise ValueError(f"{what}: {a.ndim} dimensions, at most 16 are supported")
    return np.ascontiguousarray(a)


def _step(step_bits):
    if not isinstance(step_bits, (int, np.integer)) or isinstance(step_bits, bool):
        raise TypeError(f"step_bits must be an int, got {type(step_bits).__name__}")
    if not 0 <= step_bits <= MAX_STEP_BITS:
        raise ValueError(f"step_bits {step_bits} is not in 0..={MAX_STEP_BITS}")
    return int(step_bits)


def _k(k):
    if k is None or k == "auto":
        return None
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or not 0 <= k <= MAX_K:
        raise ValueError(f"k {k!r} is not 'auto' or an integer in 0..={MAX_K}")
    return int(k)


def _named(arrays):
    if isinstance(arrays, np.ndarray):
        arrays = {"tensor": arrays}
    if not isinstance(arrays, dict) or not arrays:
        raise TypeError("expected a numpy array or a non-empty dict of name -> numpy array")
    out = []
    for name, a in arrays.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"tensor names must be non-empty strings, got {name!r}")
        out.append((name, _floats(a, f"tensor {name!r}")))
    return out


def stats(x, step_bits=8):
    """Statistics of a model: the GG shape nu, the number of distinct quantized values and the bits
    per weight of the fixed-length code, EG(k) for k = 0..5, the best EG(k), canonical Huffman and
    the empirical entropy.

    ``x`` is a safetensors path (the result is ``backslash stats --json``'s, as a dict), a dict of
    name -> array (the same report, as if the arrays were one safetensors file) or one array (the
    row of that tensor)."""
    step_bits = _step(step_bits)
    if _is_path(x):
        return json.loads(_native.stats_file(os.fspath(x), step_bits))
    if isinstance(x, np.ndarray):
        return json.loads(_native.stats_array(_floats(x), step_bits))
    return json.loads(_native.stats_arrays(_named(x), step_bits))


CODES = ("eg", "fixed", "huffman", "auto")


def encode(x, output=None, step_bits=8, code="auto", k="auto", exact=None):
    """Quantizes with step 2^-step_bits, maps by frequency rank and codes each float tensor with
    ``code``: ``"eg"`` (exp-Golomb EG(k); ``k='auto'``: the best order per tensor), ``"fixed"``,
    ``"huffman"`` (canonical Huffman) or ``"auto"`` (the smallest record per tensor, code table
    included; the default), as ``backslash encode --code``.

    ``x`` a safetensors path: writes the BSZ container to ``output`` (required; written
    atomically) and returns the totals (tensors, coded, raw, exact, eg, fixed, huffman, params,
    payload_bits, bytes, bits_per_weight), as ``backslash encode`` prints them; ``exact``, a
    regular expression, keeps the float tensors whose name it matches bit-exact (``--exact``).
    ``x`` an array or a dict of name -> array: returns the container as bytes."""
    step_bits, k = _step(step_bits), _k(k)
    if code not in CODES:
        raise ValueError(f"code {code!r} is not one of {', '.join(CODES)}")
    if _is_path(x):
        if output is None:
            raise TypeError("encode(path) needs output=, the .bsz file to write")
        if exact is not None and not isinstance(exact, str):
            raise TypeError("exact must be a regular expression (str)")
        return _native.encode_file(os.fspath(x), os.fspath(output), step_bits, code, k, exact)
    if output is not None or exact is not None:
        raise TypeError("encode(arrays) returns bytes; output= and exact= are only for a safetensors path")
    return _native.encode_arrays(_named(x), step_bits, code, k)


def decode(x, output=None):
    """Decodes a BSZ container, with every CRC, length and codeword checked. Coded tensors come
    back as float32 holding q * 2^-n exactly; raw tensors keep their dtype.

    ``x`` a path: writes a safetensors file to ``output`` (required; written atomically) and
    returns ``{"tensors": n, "bytes": size}``. ``x`` bytes: returns a dict of name -> array."""
    if _is_path(x):
        if output is None:
            raise TypeError("decode(path) needs output=, the safetensors file to write")
        n, size = _native.decode_file(os.fspath(x), os.fspath(output))
        return {"tensors": n, "bytes": size}
    if output is not None:
        raise TypeError("decode(bytes) returns arrays; output= is only for a .bsz path")
    if not isinstance(x, (bytes, bytearray, memoryview)):
        raise TypeError(f"decode: expected a path or bytes, got {type(x).__name__}")
    out = {}
    for name, dtype, shape, value in _native.decode_bytes(bytes(x)):
        if isinstance(value, np.ndarray):
            out[name] = value
        elif dtype in _RAW_DTYPES:
            out[name] = np.frombuffer(value, dtype=np.dtype(_RAW_DTYPES[dtype]).newbyteorder("<")).reshape(shape)
        else:
            # A dtype numpy has no type for (BF16, the F8 formats): its little-endian bytes.
            out[name] = np.frombuffer(value, dtype=np.uint8)
    return out


def codes(x):
    """The code of each tensor of a BSZ container (a path or bytes): a dict of name -> the code's
    name (``eg(k)``, ``fixed(w)``, ``huffman`` or ``raw``), as ``backslash inspect`` shows it."""
    if _is_path(x):
        with open(x, "rb") as f:
            x = f.read()
    return dict(_native.codes(bytes(x)))


def quantize(a, step_bits=8):
    """q = round(w * 2^step_bits) as int32, elementwise, with the codec's rounding (half away
    from zero); a value that is not finite raises BackslashError."""
    return _native.quantize(_floats(a), _step(step_bits))


def dequantize(q, step_bits=8):
    """w = q * 2^-step_bits as float32 (exact for |q| < 2^24)."""
    q = np.asarray(q)
    if q.dtype.kind not in "iu":
        raise TypeError(f"dequantize: expected an integer array, got dtype {q.dtype}")
    if q.size and (q.min() < -(2**31) or q.max() >= 2**31):
        raise ValueError("dequantize: values outside int32")
    return _native.dequantize(np.ascontiguousarray(q, dtype=np.int32), _step(step_bits))


def value_map(q):
    """The frequency-ranked value map of integer values ``q``: ``(values, indices, counts)``,
    ``values[i]`` the value of index i (index 0 the most frequent), ``indices`` the index of each
    element of ``q`` (same shape, uint32) and ``counts[i]`` how often index i occurs."""
    q = np.asarray(q)
    if q.dtype.kind not in "iu":
        raise TypeError(f"value_map: expected an integer array, got dtype {q.dtype}")
    if q.size and (q.min() < -(2**31) or q.max() >= 2**31):
        raise ValueError("value_map: values outside int32")
    return _native.value_map(np.ascontiguousarray(q, dtype=np.int32))
