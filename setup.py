"""Build of the compiled parts (`vagval.native`); everything else is in pyproject.toml.

The extensions are optional at run time (the code falls back to numpy/Python), but `pip
install` builds them: ingestion is ~2x slower without them.
"""

from Cython.Build import cythonize
from setuptools import Extension, setup

NATIVE = ["chunks", "clusters", "match", "minhash", "strmap", "text"]

setup(
    ext_modules=cythonize(
        [
            Extension(
                f"vagval.native.{name}",
                [f"platform/vagval/native/{name}.pyx"],
                include_dirs=["platform/vagval/native"],
                extra_compile_args=["-O3"],
            )
            for name in NATIVE
        ],
        compiler_directives={"language_level": "3"},
    )
)
