"""factcheck: arithmetic consistency checker for numeric claims in Chinese news copy."""

__version__ = "0.1.0"
