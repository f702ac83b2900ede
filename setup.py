"""Compiled modules for a wheel: the hot path of a run, compiled by mypyc when a C compiler is at hand.

Everything else about the package is in pyproject.toml. The compiled modules are the same source files
as the pure-Python ones, so both give byte-identical reports (.ci/run checks this). A wheel is pure
Python when mypyc or a C compiler is missing, when FACTCHECK_NATIVE=0, and for an editable install
(`pip install -e .`: the sources run as they are edited). FACTCHECK_NATIVE=1 makes a failed compilation
an error instead of a fallback.
"""

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# read → normalize → extract → check → cross-article facts: where a run spends its time
NATIVE_MODULES = [
    "src/factcheck/numbers.py",
    "src/factcheck/lexicon.py",
    "src/factcheck/normalize.py",
    "src/factcheck/extract.py",
    "src/factcheck/subjects.py",
    "src/factcheck/timescope.py",
    "src/factcheck/conflicts.py",
    "src/factcheck/rules/intervals.py",
    "src/factcheck/rules/kinds.py",
    "src/factcheck/rules/engine.py",
    "src/factcheck/report/build.py",
]

SETTING = os.environ.get("FACTCHECK_NATIVE", "auto").strip().lower()
REQUIRED = SETTING in ("1", "yes", "true", "on")
EDITABLE = any(cmd in sys.argv for cmd in ("editable_wheel", "develop"))
# metadata and requirement queries run this file too: only a build translates the sources
BUILDING = any(cmd in sys.argv for cmd in ("bdist_wheel", "build", "build_ext", "install"))


def _note(msg: str) -> None:
    print(f"factcheck build: {msg}", file=sys.stderr)


def _fallback(why: str) -> None:
    if REQUIRED:
        raise SystemExit(f"factcheck build: FACTCHECK_NATIVE=1 but the compiled modules cannot be built: {why}")
    _note(f"{why}; building pure Python (the same results, slower)")


class OptionalBuildExt(build_ext):
    """All compiled modules or none: mypyc's modules share one runtime library, so a half-built set
    would not import. A failure leaves the pure-Python package, which gives the same results."""

    def run(self):
        try:
            super().run()
        except BaseException as e:  # a compiler error, a missing compiler (distutils raises SystemExit-like errors)
            if isinstance(e, KeyboardInterrupt):
                raise
            for path in self.get_outputs():
                try:
                    os.remove(path)
                except OSError:
                    pass
            self.extensions = []
            _fallback(f"compiling failed ({type(e).__name__}: {e})")


def native_extensions():
    if SETTING in ("0", "no", "false", "off"):
        return []
    if EDITABLE or not BUILDING:
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _fallback("mypyc is not installed")
        return []
    try:
        return mypycify(NATIVE_MODULES, opt_level="3", group_name="factcheck_native")
    except BaseException as e:  # mypyc exits on a type error in the sources
        if isinstance(e, KeyboardInterrupt):
            raise
        _fallback(f"mypyc could not translate the sources ({type(e).__name__}: {e})")
        return []


setup(ext_modules=native_extensions(), cmdclass={"build_ext": OptionalBuildExt})
