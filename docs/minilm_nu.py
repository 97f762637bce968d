# Pooled generalized-Gaussian shape ν of a safetensors model by moment matching, numpy only: the
# independent figure that `backslash stats` is checked against (docs/results-codec.md).
# Usage: python3 docs/minilm_nu.py target/minilm/model.safetensors
import json, math, struct, sys
import numpy as np

def rho(nu):
    return math.exp(math.lgamma(1/nu) + math.lgamma(3/nu) - 2*math.lgamma(2/nu))

def shape(x):
    x = x.astype(np.float64)
    r = np.mean(x*x) / np.mean(np.abs(x))**2
    lo, hi = math.log(0.05), math.log(8.0)
    for _ in range(100):
        mid = (lo+hi)/2
        if rho(math.exp(mid)) > r: lo = mid
        else: hi = mid
    return math.exp((lo+hi)/2)

buf = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', buf[:8])[0]
hdr = json.loads(buf[8:8+n]); base = 8+n
dt = {'F32': np.float32, 'F16': np.float16}
allw, two = [], []
for name, t in hdr.items():
    if name == '__metadata__' or t['dtype'] not in dt: continue
    a, b = t['data_offsets']
    w = np.frombuffer(buf[base+a:base+b], dtype=dt[t['dtype']]).astype(np.float32)
    allw.append(w)
    if len(t['shape']) >= 2: two.append(w)
A = np.concatenate(allw); T = np.concatenate(two)
print(f"float tensors: {len(allw)}, weights {A.size}; >=2-D tensors: {len(two)}, weights {T.size}")
print(f"pooled nu, all float tensors: {shape(A):.4f}")
print(f"pooled nu, >=2-D tensors:     {shape(T):.4f}")

# Cross-check of `stats`' entropy column: per-tensor empirical entropy of q = round-half-away(w·2^8),
# summed over tensors, per weight.
bits = 0.0
for w in allw:
    x = w.astype(np.float64) * 256.0
    q = np.sign(x) * np.floor(np.abs(x) + 0.5)
    _, c = np.unique(q, return_counts=True)
    p = c / c.sum()
    bits += -(c * np.log2(p)).sum()
print(f"entropy at step 2^-8, per-tensor maps: {bits / A.size:.4f} bits/weight")
