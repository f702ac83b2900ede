"""Which rules a run uses: the built-in folder, the user's folders, --select and --ignore."""

from __future__ import annotations

from factcheck.lexicon import builtin_rules_dir
from factcheck.rules.errors import RuleError


def _matches(rule_id: str, patterns) -> bool:
    return any(p == "ALL" or rule_id == p or (p and rule_id.startswith(p)) for p in patterns)


def rules_for_run(extra_dirs=(), select=(), ignore=()):
    """The run's rules: from the cache when the rule files are unchanged, else validated and cached."""
    from factcheck.rules import cache

    dirs = [builtin_rules_dir(), *extra_dirs]
    rules = cache.load(dirs)
    if rules is None:
        from factcheck.rules.schema import load_rules

        rules = load_rules(dirs)
        cache.store(dirs, rules)
    if select:
        rules = [r for r in rules if _matches(r.id, select) or r.name in select]
    if ignore:
        rules = [r for r in rules if not (_matches(r.id, ignore) or r.name in ignore)]
    return rules


__all__ = ["rules_for_run", "RuleError"]
