"""factcheck: arithmetic consistency checker for numeric claims in Chinese news copy."""

__version__ = "0.1.0"


def build() -> str:
    """How this installation runs its hot path: "compiled" (a wheel built with mypyc, see setup.py) or
    "pure Python" (an editable install, or a build without a C compiler). Both give the same reports."""
    from importlib.util import find_spec  # finds the module's file without running it

    spec = find_spec("factcheck.extract")
    origin = (spec.origin or "") if spec else ""
    return "pure Python" if origin.endswith(".py") else "compiled"
