"""factcheck: arithmetic consistency checker for numeric claims in Chinese news copy."""

__version__ = "0.2.0"

# where the project lives: the SARIF reports' informationUri, the JSON Schema's $id and the docs' install
# and pre-commit lines name it (pyproject.toml's [project.urls] too; a test keeps them the same)
PROJECT_URL = "https://github.com/factcheck-zh/factcheck"


def build() -> str:
    """How this installation runs its hot path: "compiled" (a wheel built with mypyc, see setup.py) or
    "pure Python" (an editable install, or a build without a C compiler). Both give the same reports."""
    from importlib.util import find_spec  # finds the module's file without running it

    spec = find_spec("factcheck.extract")
    origin = (spec.origin or "") if spec else ""
    return "pure Python" if origin.endswith(".py") else "compiled"
