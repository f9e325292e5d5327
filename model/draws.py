"""Numpy's own samplers, compiled: the same draws from the same generator, without numpy's per-call cost.

Why: at sweep size (2,000 people) a month makes some hundred calls to the
model's generator, and for the two samplers below most of a call's cost is
numpy's argument handling, not the draw (`Generator.choice` ~10 us to pick a
handful of people, `Generator.poisson` ~30 us for 2,000 people, against
1-2 us and ~12 us compiled; issue 11, item 5).

How: numpy exposes every bit generator to compiled code - the address of its
state and of its `next_double` / `next_uint32` functions (`BitGenerator.ctypes`,
the interface numpy documents for numba, "Extending via Numba"). The kernels
below call those functions and follow numpy's own algorithms step for step
(numpy 2.x, `numpy/random/_generator.pyx` and
`src/distributions/distributions.c`), so they consume the generator exactly
as the numpy call would and return the same values: a run is the same bit for
bit. `tests/test_speed.py` checks that against numpy itself for thousands of
(population, count) pairs and rates, including the generator's state after
the draw, so a numpy release that changed an algorithm would be caught there.

The handles (`handles`) hold raw addresses: take them from the generator
just before use (a few microseconds) and never keep them past it - a copied
or unpickled model has a generator of its own.

For whoever edits this file: numba's cache (`model/__pycache__/*.nbi, *.nbc`)
checks only the file of the function it caches, so the kernels in
kernels.py that call these samplers keep their old compiled copy until
kernels.py changes. After an edit here, delete those cache files (a fresh
checkout or install has none).
"""

from __future__ import annotations

import ctypes
import math

import numpy as np
from llvmlite import ir
from numba import float32, njit, types
from numba.extending import intrinsic
from numba.np.random._constants import (
    fi_double,
    fi_float,
    ki_double,
    ki_float,
    wi_double,
    wi_float,
    ziggurat_nor_inv_r,
    ziggurat_nor_inv_r_f,
    ziggurat_nor_r,
    ziggurat_nor_r_f,
)

STATE, NEXT_DOUBLE, NEXT_UINT32, NEXT_UINT64 = 0, 1, 2, 3
"""Positions in `handles`: the bit generator's state, its next_double, next_uint32 and next_uint64 function."""

POISSON_LAM_MAX = float(np.iinfo(np.int64).max - np.sqrt(np.iinfo(np.int64).max) * 10)
"""numpy's largest Poisson mean (`Generator.poisson` refuses more)."""


def handles(rng: np.random.Generator) -> np.ndarray:
    """The addresses compiled code needs to draw from `rng`'s bit generator: uint64 [state, double, uint32, uint64]."""
    c = rng.bit_generator.ctypes
    return np.array([c.state_address] + [ctypes.cast(f, ctypes.c_void_p).value
                                         for f in (c.next_double, c.next_uint32, c.next_uint64)], dtype=np.uint64)


def _caller(result: ir.Type, result_type: types.Type):
    """An intrinsic that calls the C function at an address with the state address: `result f(void *state)`."""

    @intrinsic
    def call(typingctx, fn, state):
        def codegen(context, builder, signature, args):
            void_p = ir.IntType(8).as_pointer()
            f = builder.inttoptr(args[0], ir.FunctionType(result, [void_p]).as_pointer())
            return builder.call(f, [builder.inttoptr(args[1], void_p)])
        return result_type(types.uint64, types.uint64), codegen

    return call


_call_double = _caller(ir.DoubleType(), types.float64)
_call_uint32 = _caller(ir.IntType(32), types.uint32)
_call_uint64 = _caller(ir.IntType(64), types.uint64)
_U32 = np.uint64(0xFFFFFFFF)
_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)


@njit(cache=True, nogil=True, inline="always")
def next_double(h):
    """A uniform on [0, 1): what `Generator.random()` draws."""
    return _call_double(h[NEXT_DOUBLE], h[STATE])


@njit(cache=True, nogil=True, inline="always")
def _next_uint32(h):
    return np.uint64(_call_uint32(h[NEXT_UINT32], h[STATE]))


@njit(cache=True, nogil=True, inline="always")
def next_float(h):
    """A uniform on [0, 1) in single precision: what `Generator.random(dtype=np.float32)` draws."""
    return float32(float32(_call_uint32(h[NEXT_UINT32], h[STATE]) >> np.uint32(8)) * float32(1.0)
                   / float32(16777216.0))


@njit(cache=True, nogil=True)
def standard_normal(h):
    """A standard normal: numpy's ziggurat (`random_standard_normal`), with numpy's tables as numba ships them."""
    while True:
        r = _call_uint64(h[NEXT_UINT64], h[STATE])
        idx = r & 0xff
        r >>= 8
        sign = r & 0x1
        rabs = (r >> 1) & 0x000fffffffffffff
        x = rabs * wi_double[idx]
        if sign & 0x1:
            x = -x
        if rabs < ki_double[idx]:
            return x
        if idx == 0:
            while True:
                xx = -ziggurat_nor_inv_r * np.log1p(-next_double(h))
                yy = -np.log1p(-next_double(h))
                if yy + yy > xx * xx:
                    if (rabs >> 8) & 0x1:
                        return -(ziggurat_nor_r + xx)
                    return ziggurat_nor_r + xx
        elif ((fi_double[idx - 1] - fi_double[idx]) * next_double(h) + fi_double[idx]) < np.exp(-0.5 * x * x):
            return x


@njit(cache=True, nogil=True)
def normal(h, loc, scale, size):
    """`rng.normal(loc, scale, size)`: loc + scale times a standard normal, drawn as numpy draws it."""
    out = np.empty(size)
    for i in range(size):
        out[i] = loc + scale * standard_normal(h)
    return out


@njit(cache=True, nogil=True)
def standard_normal_f32(h):
    """A standard normal in single precision: numpy's ziggurat (`random_standard_normal_f`).

    The tables are numpy's, as numba ships them for its own port of the
    same function (`numba.np.random`); the wedge test is numpy's, in double.
    """
    while True:
        r = _call_uint32(h[NEXT_UINT32], h[STATE])
        idx = r & 0xff
        sign = (r >> 8) & 0x1
        rabs = (r >> 9) & 0x0007fffff
        x = float32(float32(rabs) * wi_float[idx])
        if sign & 0x1:
            x = -x
        if rabs < ki_float[idx]:
            return x
        if idx == 0:
            while True:
                xx = float32(-ziggurat_nor_inv_r_f * np.log1p(float32(-next_float(h))))
                yy = float32(-np.log1p(float32(-next_float(h))))
                if float32(yy + yy) > float32(xx * xx):
                    if (rabs >> 8) & 0x1:
                        return -float32(ziggurat_nor_r_f + xx)
                    return float32(ziggurat_nor_r_f + xx)
        # numpy's C compares this in double precision (`exp(-0.5 * x * x)`, a double literal),
        # not in single as numba's own port does: in single, about one draw in ten million differs.
        elif np.float64((fi_float[idx - 1] - fi_float[idx]) * next_float(h) + fi_float[idx]) < \
                np.exp(-0.5 * np.float64(x) * np.float64(x)):
            return x


@njit(cache=True, nogil=True)
def _bounded(h, high):
    """An integer in [0, high] (high < 2**32 - 1): numpy's `random_bounded_uint64`, Lemire's method."""
    if high == 0:
        return np.uint64(0)
    rng_excl = np.uint64(high) + np.uint64(1)
    m = _next_uint32(h) * rng_excl
    leftover = m & _U32
    if leftover < rng_excl:
        threshold = (_U32 - np.uint64(high)) % rng_excl
        while leftover < threshold:
            m = _next_uint32(h) * rng_excl
            leftover = m & _U32
    return m >> np.uint64(32)


@njit(cache=True, nogil=True)
def integers(h, low, high, size):
    """`rng.integers(low, high, size)` (int64, high - low < 2**32 - 1), drawn as numpy draws it."""
    out = np.empty(size, np.int64)
    for i in range(size):
        out[i] = low + np.int64(_bounded(h, high - 1 - low))
    return out


@njit(cache=True, nogil=True)
def _shuffle(h, data, n, first):
    """numpy's `_shuffle_int`: Fisher-Yates over data[first:n], from the end."""
    for i in range(n - 1, first - 1, -1):
        j = _bounded(h, i)
        t = data[j]
        data[j] = data[i]
        data[i] = t


@njit(cache=True, nogil=True)
def choice_sorted(h, pop, size):
    """`np.sort(rng.choice(pop, size, replace=False))`, drawn as numpy draws it (size <= pop < 2**32 - 1).

    numpy's two methods: past 10,000 and more than a fiftieth of the
    population, the tail of a shuffle of everyone; otherwise Floyd's algorithm
    with a hash set, then a shuffle of the chosen (which only reorders them,
    but it draws, so it is done).
    """
    if size == 0:
        return np.empty(0, np.int64)
    if pop > 10000 and size > pop // 50:
        idx = np.arange(pop)
        _shuffle(h, idx, pop, max(pop - size, 1))
        out = idx[pop - size:].copy()
        out.sort()
        return out
    out = np.empty(size, np.int64)
    mask = np.uint64(1.2 * size)
    for s in (1, 2, 4, 8, 16, 32):
        mask |= mask >> np.uint64(s)
    table = np.full(mask + np.uint64(1), _EMPTY, np.uint64)
    for j in range(pop - size, pop):
        val = _bounded(h, j)
        loc = val & mask
        while table[loc] != _EMPTY and table[loc] != val:
            loc = (loc + np.uint64(1)) & mask
        if table[loc] == _EMPTY:
            table[loc] = val
            out[j - pop + size] = val
        else:
            loc = np.uint64(j) & mask
            while table[loc] != _EMPTY:
                loc = (loc + np.uint64(1)) & mask
            table[loc] = j
            out[j - pop + size] = j
    _shuffle(h, out, size, 1)
    out.sort()
    return out


_LOGGAM_A = np.array([8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
                      -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
                      6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
                      -1.39243221690590e+00])


@njit(cache=True, nogil=True)
def _loggam(x):
    """numpy's `random_loggam`: log Gamma(x) by Stirling's series."""
    if x == 1.0 or x == 2.0:
        return 0.0
    n = int(7 - x) if x < 7.0 else 0
    x0 = x + n
    x2 = (1.0 / x0) * (1.0 / x0)
    gl0 = _LOGGAM_A[9]
    for k in range(8, -1, -1):
        gl0 *= x2
        gl0 += _LOGGAM_A[k]
    gl = gl0 / x0 + 0.5 * 1.8378770664093453e+00 + (x0 - 0.5) * math.log(x0) - x0
    if x < 7.0:
        for _ in range(n):
            gl -= math.log(x0 - 1.0)
            x0 -= 1.0
    return gl


@njit(cache=True, nogil=True)
def _poisson_ptrs(h, lam):
    """numpy's `random_poisson_ptrs`: Hoermann's transformed rejection (1993), for a mean of 10 or more."""
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        U = next_double(h) - 0.5
        V = next_double(h)
        us = 0.5 - abs(U)
        k = np.int64(math.floor((2 * a / us + b) * U + lam + 0.43))
        if us >= 0.07 and V <= vr:
            return k
        if k < 0 or (us < 0.013 and V > us):
            continue
        if (math.log(V) + math.log(invalpha) - math.log(a / (us * us) + b)) <= \
                (-lam + k * loglam - _loggam(float(k + 1))):
            return k


@njit(cache=True, nogil=True)
def poisson(h, lam):
    """`rng.poisson(lam)` for an array of means, drawn as numpy draws it (mean 0 draws nothing)."""
    out = np.empty(lam.size, np.int64)
    for i in range(lam.size):
        m = lam[i]
        if not (m >= 0.0 and m <= POISSON_LAM_MAX):
            raise ValueError("poisson: a mean is negative, too large or NaN")
        if m >= 10:
            out[i] = _poisson_ptrs(h, m)
        elif m == 0:
            out[i] = 0
        else:
            enlam = math.exp(-m)
            x = 0
            prod = 1.0
            while True:
                prod *= next_double(h)
                if prod > enlam:
                    x += 1
                else:
                    break
            out[i] = x
    return out
