"""The build backend: setuptools', plus mypyc as a build requirement of a wheel that may be compiled.

A wheel (`pip install .`, `pip wheel .`) compiles the modules on the hot path with mypyc when it can
(setup.py falls back to pure Python when it cannot); an editable install (`pip install -e .`) is pure
Python, so that an edit to a source file is what runs. FACTCHECK_NATIVE=0 builds pure Python always.
"""

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F401,F403 - every hook not changed here is setuptools'

MYPYC = "mypy>=2.4,<3"  # the mypyc compiler ships in the mypy distribution


def native_wanted() -> bool:
    import os

    return os.environ.get("FACTCHECK_NATIVE", "auto").strip().lower() not in ("0", "no", "false", "off")


def get_requires_for_build_wheel(config_settings=None):
    reqs = list(_setuptools.get_requires_for_build_wheel(config_settings))
    return reqs + [MYPYC] if native_wanted() else reqs
