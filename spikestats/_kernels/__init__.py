"""Numba kernels: arrays and scalars in, arrays out.

The only package that imports numba. Kernels assume valid input (their public
wrappers validate) and raise nothing for user errors. Each has a slow,
obviously correct twin in ``tests/reference/naive.py``. Importing this package
compiles nothing: kernels are compiled on first call and cached on disk.
"""

