"""The names each rule kind binds for its formula (shared by the schema and the rule cache)."""

KIND_NAMES = {
    "breakdown": {"total", "parts"},
    "share": {"part", "whole", "pct"},
    "rate": {"numerator", "denominator", "pct"},
    "growth": {"current", "previous", "delta", "pct"},
    "pp_diff": {"a", "b", "diff"},
    "average": {"total", "count", "avg"},
    "repeat": {"first", "second"},
    "conflict": {"first", "second"},
}
