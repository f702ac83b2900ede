"""Command line: the only place that prints or exits.

Exit codes: 0 no discrepancy at or above --fail-on, 1 discrepancies, 2 usage, configuration, rule
or input errors.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal, InvalidOperation

import click

from factcheck import __version__, build

FORMATS = ["text", "concise", "json", "github", "sarif", "html"]
LANGS = ["zh", "en"]
EXAMPLES = """
\b
Examples:
  factcheck seeds/                         check every .txt/.md/.markdown file under seeds/
  factcheck seeds/ --lang en               the same, in English (the default is Chinese)
  factcheck drafts/ --date 2024-07-01      今年 / 去年 / 截至6月底 in undated drafts: of 2024
  factcheck seeds/ --format concise        one line per finding; --statistics counts them per rule
  factcheck seeds/ --format json           the reviewer's report: every check, passing ones too
  factcheck article.md --fail-on warning   CI gate that also fails on warnings
  factcheck claims seeds/000_3e47b0061565aec6.txt   list the figures factcheck reads
  factcheck rules                          list the rules; `factcheck rule FC101` explains one
"""


class DefaultGroup(click.Group):
    """`factcheck PATH…` runs `factcheck check PATH…`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        elif not args:
            args = ["check"]
        elif len(args) == 1 and args[0] != "check" and os.path.exists(args[0]):
            # `factcheck rules` with a folder rules/ at hand: the command runs, and says how to check the folder
            click.echo(f"factcheck: note: `factcheck {args[0]}` runs the command {args[0]!r}; to check the "
                       f"{'folder' if os.path.isdir(args[0]) else 'file'} {args[0]}, run `factcheck check {args[0]}` "
                       f"or `factcheck ./{args[0]}`", err=True)
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except OSError as e:  # click would make a broken pipe exit 1, as if discrepancies were found
            from factcheck import runtime

            if runtime.is_broken_pipe(e):
                raise runtime.StdoutGone() from None
            raise

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """The command line's process (runtime.run_command): closed standard streams, Ctrl-C (exit 130),
        SIGTERM (143), a reader that closes standard output, no traceback unless --debug."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from factcheck.runtime import run_command

        argv = list(sys.argv[1:] if args is None else args)
        run_command(lambda: super(DefaultGroup, self).main(argv, prog_name, complete_var, standalone_mode=False,
                                                           **extra), argv)


def _split(values) -> tuple[str, ...]:
    out: list[str] = []
    for v in values or ():
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(out)


def _print_version(ctx, _param, value) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"factcheck, version {__version__} ({build()})")
    ctx.exit()


def _fail(msg: str) -> None:
    from factcheck.display import shown
    from factcheck.runtime import message

    message(f"factcheck: error: {shown(msg)}")  # a name or a value in it may hold control characters
    sys.exit(2)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXAMPLES)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and the build (compiled or pure Python) and exit.")
def main():
    """Check the arithmetic of numeric claims in news articles.

    factcheck reads articles (Chinese first), extracts every numeric claim and tests the claims against
    each other: breakdowns add up, shares and rates follow from their figures, growth rates match, a
    figure repeated in an article or across articles keeps its value.
    """


def _load_rules(rule_dirs, select, ignore):
    from factcheck.rules.loader import RuleError, rules_for_run

    try:
        return rules_for_run(rule_dirs, select, ignore)
    except RuleError as e:
        _fail(f"bad rule file: {e}")


@main.command("check", epilog=EXAMPLES)
@click.argument("paths", nargs=-1, type=str)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format (concise: one line per finding).")
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help="Language of the report: zh (the default) or en. Also `lang` in the configuration.")
@click.option("--date", "ref_date", metavar="YYYY-MM-DD", default=None,
              help="Reference date: the year of 今年, 去年, 截至6月底 in articles without a date of their own "
                   "(front matter `date:`). Also `date` in the configuration.")
@click.option("--statistics", is_flag=True, help="Count the findings per rule instead of listing them "
                                                  "(text and concise formats).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), help="Extra folder of rule files.")
@click.option("--select", multiple=True, help="Only these rules (ids, id prefixes or names; comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules (ids, id prefixes or names; comma-separated).")
@click.option("--include", multiple=True, help="Glob of files to read in folders, in any letter case (default *.txt, *.md, *.markdown).")
@click.option("--exclude", multiple=True, help="Glob of files or folders to skip.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None,
              help="Lowest severity that fails the run (exit 1). Default: error.")
@click.option("--show-ok", is_flag=True, help="Also list the checks that passed and the unverifiable ones (in "
                                              "text order).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (0: all cores).")
@click.option("--approx-tolerance", type=str, default=None, help="Relative tolerance for 约/近/左右 (default 0.05).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="A factcheck.toml or pyproject.toml.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Report only findings not in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings as accepted.")
@click.option("--color/--no-color", default=None, help="Colour the terminal output (default: when a terminal).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
@click.option("--timings", type=click.Path(dir_okay=False), help="Write stage timings as JSON to FILE.")
@click.option("--archive", "archive_url", envvar="FACTCHECK_ARCHIVE",
              help="Also compare with the articles in this claim archive (an SQLite file or postgresql://…).")
@click.option("--no-archive", is_flag=True, help="Do not use the archive the configuration names.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def check_cmd(paths, fmt, lang, ref_date, statistics, output, rule_dirs, select, ignore, include, exclude, fail_on,
              show_ok, jobs, approx_tolerance, config_path, baseline, write_baseline, color, progress, timings,
              archive_url, no_archive, debug):
    """Check PATHS (files, folders, or - for standard input) and report discrepancies."""
    import time

    t_start = time.perf_counter()
    if not paths:
        _fail("no input: give one or more files or folders (or - for standard input); see factcheck --help")
    from factcheck import runtime

    if not output and runtime.stdout_closed():
        _fail("standard output is closed: there is nowhere to write the report (give -o FILE)")
    if paths.count("-") > 1:
        _fail("- (standard input) is given more than once: it can be read only once")
    from factcheck.config import ConfigError, load_config

    try:
        cfg = load_config(config_path, paths)
    except ConfigError as e:
        _fail(str(e))
    cfg_file = cfg.get("_file")
    select_from = "--select" if _split(select) else f"{cfg_file}: {cfg.get('_prefix', '')}select"
    ignore_from = "--ignore" if _split(ignore) else f"{cfg_file}: {cfg.get('_prefix', '')}ignore"
    select = _split(select) or tuple(cfg.get("select", ()))
    ignore = _split(ignore) or tuple(cfg.get("ignore", ()))
    include = _split(include) or tuple(cfg.get("include", ()))
    exclude = _split(exclude) + tuple(cfg.get("exclude", ()))
    rule_dirs = tuple(rule_dirs) + tuple(cfg.get("rules", ()))
    fail_on = fail_on or cfg.get("fail_on", "error")
    lang = lang or cfg.get("lang", "zh")
    if statistics and fmt not in ("text", "concise"):
        _fail(f"--statistics counts the findings of the text and concise formats, not of --format {fmt}")
    if ref_date is not None:
        from factcheck.config import parse_date

        parsed = parse_date(ref_date)
        if parsed is None:
            _fail(f"--date must be a date, YYYY-MM-DD (2024-07-01), got {ref_date!r}")
        ref_date = parsed
    ref_date = ref_date or cfg.get("date")
    reference = int(ref_date[:4]) if ref_date else None
    from factcheck import i18n

    i18n.use(lang)
    tol = approx_tolerance if approx_tolerance is not None else cfg.get("approx_tolerance", "0.05")
    try:
        approx = Decimal(str(tol))
        if not (0 <= approx < 1):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        _fail(f"--approx-tolerance must be a number from 0 to 1, got {tol!r}")
    accepted = None
    if baseline:  # a bad baseline fails before the run, not after it; it is read once
        from factcheck.suppress import read_baseline

        try:
            accepted = read_baseline(baseline)
        except (OSError, ValueError) as e:
            _fail(f"cannot read baseline {_shown(baseline)}: {getattr(e, 'strerror', None) or e}")
    if select or ignore or cfg.get("per_file_ignores"):
        select, ignore = _check_selectors(rule_dirs, select, ignore, select_from, ignore_from, cfg)
    rules = _load_rules(rule_dirs, select, ignore)
    archive_spec = None if no_archive else _archive_spec(archive_url, cfg, default=None)
    if output or timings or write_baseline:
        _check_outputs(paths, include, exclude, rule_dirs, cfg_file, baseline,
                       [("--output", output), ("--timings", timings), ("--write-baseline", write_baseline)],
                       _archive_file(archive_spec))
    jobs = jobs or (os.cpu_count() or 1)
    # the bar: forced by --progress; by default only on a terminal, for text or a report written to a file
    show_progress = progress if progress is not None else (sys.stderr.isatty() and (fmt == "text" or bool(output)))
    from factcheck.pipeline import run
    from factcheck.progress import Progress

    total = None
    if show_progress:
        from factcheck.documents import InputError, iter_inputs

        total = sum(1 for x in iter_inputs(paths, include, exclude) if not isinstance(x, InputError))
    bar = Progress(enabled=show_progress, delay=0.0 if progress else 1.0, total=total)
    result = run(paths, rules, rule_dirs, select, ignore, include, exclude, jobs, approx,
                 progress=bar.update, settle=True, encode=fmt == "json", lang=lang, reference=reference)
    bar.close()
    if not result.files and not result.input_errors:
        _fail(_nothing_to_check(paths, include, exclude))
    _check_inline_selectors(result, rule_dirs)
    from factcheck.suppress import split_baseline, split_inline, write_baseline_file

    checks = [c for r in result.files for c in r.checks] + list(result.conflicts)
    checks, suppressed = split_inline(checks, result.files, cfg.get("per_file_ignores", {}), cfg.get("_dir"),
                                      cfg_file)
    t_archive = time.perf_counter()
    archived = None if no_archive else _archive_findings(archive_spec, result, rules, approx, cfg, debug)
    t_archive = time.perf_counter() - t_archive
    if archived is not None:
        checks += archived.checks
        suppressed += archived.suppressed
    if write_baseline:  # every current finding, also those an older baseline accepted
        try:
            write_baseline_file(checks, write_baseline)
        except OSError as e:
            _fail(f"cannot write baseline {_shown(write_baseline)}: {e.strerror or e}")
    if baseline:
        checks, aside = split_baseline(checks, baseline, accepted)
        suppressed += aside
    from factcheck.report.build import build_report

    configuration = {"rules": [r.id for r in rules], "fail_on": fail_on, "approx_tolerance": str(approx),
                     "lang": lang, "date": ref_date,
                     "select": list(select), "ignore": list(ignore), "rule_dirs": list(rule_dirs),
                     "config_file": cfg_file, "include": list(include), "exclude": list(exclude),
                     "per_file_ignores": dict(sorted(cfg.get("per_file_ignores", {}).items())),
                     "baseline": baseline}
    if archived is not None:
        configuration["archive"] = archived.archive
    t_report = time.perf_counter()
    from factcheck.pipeline import collector_paused

    with collector_paused(settle=True):
        report = build_report(result, configuration, suppressed, checks)
        # colour: --color/--no-color, else only on a terminal, never into a file, and not when NO_COLOR is set
        use_color = color if color is not None else (sys.stdout.isatty() and not output
                                                     and not os.environ.get("NO_COLOR")
                                                     and os.environ.get("TERM") != "dumb")
        if fmt == "json":
            from factcheck.report.json_out import render_json_chunks

            text = render_json_chunks(report)  # UTF-8, streamed: a large report is never held as one string
        else:
            text = render(report, fmt, result, use_color, show_ok, rules, statistics,
                          None if output else terminal_columns(), archived)
        from factcheck.atomic import write_atomic

        binary = fmt == "json"  # UTF-8 bytes; the other formats are text (a string or its pieces)
        if output:
            try:
                write_atomic(output, text, binary=binary)
            except OSError as e:
                _fail(f"cannot write {_shown(output)}: {e.strerror or e}")
        else:
            try:
                write_atomic("-", text, binary=binary)  # standard output
            except OSError as e:
                runtime.silence_stdout()  # nothing more goes there, the flush at exit included
                if not runtime.is_broken_pipe(e):
                    _fail(f"cannot write the report to standard output: {e.strerror or e}")
                # the reader went away (`| head`): quietly, and the exit code still follows the findings
    # every unreadable file is one line on stderr, except when the text report itself is on the terminal
    # that stderr shows (it lists the errors first)
    errors_to_stderr = fmt != "text" or bool(output) or not (sys.stdout.isatty() and sys.stderr.isatty())
    for r in result.files:
        if r.internal:
            msg = f"factcheck: {_shown(r.path)}: {_shown(r.error)}"
            runtime.message(msg + ("\n" + r.internal if debug else " (run with --debug for the traceback)"))
        elif r.error and errors_to_stderr:
            runtime.message(f"factcheck: {_shown(r.path)}: {_shown(r.error)}")
    for err in result.input_errors:
        internal = err.internal  # a bug outside any one file (the cross-article checks)
        if internal:
            runtime.message(f"factcheck: {_shown(err.path)}: {_shown(err.reason)}"
                            + ("\n" + internal if debug else " (run with --debug for the traceback)"))
        elif errors_to_stderr:
            runtime.message(f"factcheck: {_shown(err.path)}: {_shown(err.reason)}")
    if timings:
        import json

        t = dict(result.timings)
        if archived is not None:
            t["archive_s"] = round(t_archive, 4)
        t["report_s"] = round(time.perf_counter() - t_report, 4)
        t["total_s"] = round(time.perf_counter() - t_start, 4)
        from factcheck.atomic import write_atomic

        try:
            write_atomic(timings, json.dumps(t, indent=2, sort_keys=True) + "\n")
        except OSError as e:
            _fail(f"cannot write timings {_shown(timings)}: {e.strerror or e}")
    sys.exit(exit_code(report, fail_on))


def _shown(s) -> str:
    from factcheck.display import shown

    return shown(str(s))


def _nothing_to_check(paths, include, exclude) -> str:
    """Why a run found no file to check (a run that checks nothing does not pass)."""
    from factcheck.documents import DEFAULT_INCLUDE

    globs = ", ".join(include or DEFAULT_INCLUDE)
    why = f"no file under {', '.join(map(str, paths))} matches --include ({globs})"
    if exclude:
        why += f" and is not excluded ({', '.join(exclude)})"
    return f"nothing to check: {why}"


def _check_inline_selectors(result, rule_dirs) -> None:
    """An inline `<!-- factcheck: ignore X -->` naming no rule is an error of its file, as the same
    selector in the configuration is (a typo would suppress nothing, silently)."""
    if not any(r.ignores for r in result.files):
        return
    from factcheck.config import normalize_selectors
    from factcheck.documents import InputError

    all_rules = _load_rules(rule_dirs, (), ())
    for r in result.files:
        for _, _, ids, line in r.ignores or ():
            bad = normalize_selectors(list(ids), all_rules)[1]
            if bad:
                result.input_errors.append(InputError(
                    f"{r.path}:{line}", f"<!-- factcheck: ignore … -->: no rule matches {', '.join(map(repr, bad))} "
                                        "(`factcheck rules` lists them)"))


def _check_outputs(paths, include, exclude, rule_dirs, cfg_file, baseline, targets, archive_file=None) -> None:
    """Refuse, before the run, an output that would replace an input (the archive's SQLite file
    included) or another output."""
    from factcheck.atomic import check_outputs
    from factcheck.documents import InputError, iter_inputs
    from factcheck.rules.cache import rule_files

    inputs = [x for x in iter_inputs(paths, include, exclude) if not isinstance(x, InputError)]
    inputs += [str(p) for p in rule_files(rule_dirs)]
    inputs += [x for x in (cfg_file, baseline, archive_file) if x]
    problem = check_outputs([(o, p) for o, p in targets if p], inputs)
    if problem:
        _fail(problem)


def terminal_columns() -> int | None:
    """The width the text report is laid out for: COLUMNS when set, else the terminal's when standard
    output is one, else None (a file or a pipe: code frames of the usual width, messages not wrapped)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return max(int(env), 40)
    try:
        if sys.stdout.isatty():
            import shutil

            return max(shutil.get_terminal_size().columns, 40)
    except (OSError, ValueError, AttributeError):
        pass
    return None


def exit_code(report, fail_on: str) -> int:
    if report.errors:
        return 2
    if fail_on == "never":
        return 0
    levels = {"info": ["info", "warning", "error"], "warning": ["warning", "error"]}.get(fail_on, ["error"])
    return 1 if any(report.summary.discrepancies.get(l, 0) for l in levels) else 0


def _check_selectors(rule_dirs, select, ignore, select_from, ignore_from, cfg):
    """Rule selectors that match no rule are errors (a typo would silently check nothing or everything)."""
    from factcheck.config import normalize_selectors

    all_rules = _load_rules(rule_dirs, (), ())
    select, bad = normalize_selectors(select, all_rules)
    if bad:
        _fail(f"{select_from}: no rule matches {', '.join(map(repr, bad))} (`factcheck rules` lists them)")
    ignore, bad = normalize_selectors(ignore, all_rules)
    if bad:
        _fail(f"{ignore_from}: no rule matches {', '.join(map(repr, bad))} (`factcheck rules` lists them)")
    for pattern, ids in cfg.get("per_file_ignores", {}).items():
        bad = [i for i in ids if i.upper() != "ALL" and normalize_selectors([i], all_rules)[1]]
        if bad:
            _fail(f"{cfg.get('_file')}: {cfg.get('_prefix', '')}per-file-ignores.{pattern}: no rule matches {', '.join(map(repr, bad))}")
    return tuple(select), tuple(ignore)


def render(report, fmt: str, result, color: bool, show_ok: bool, rules=None, statistics: bool = False,
           columns: int | None = None, archived=None):
    if fmt == "json":
        from factcheck.report.json_out import render_json

        return render_json(report)
    if fmt == "github":
        from factcheck.report.github import render_github

        return render_github(report)
    if fmt == "sarif":
        from factcheck.report.sarif import render_sarif_chunks

        return render_sarif_chunks(report, rules)  # streamed: a large report is never held as one string
    if statistics:
        from factcheck.report.terminal import render_statistics

        return render_statistics(report, rules, color)
    if fmt == "concise":
        from factcheck.report.terminal import render_concise

        return render_concise(report, color, show_ok)
    lines = {r.path: dict(r.lines) for r in result.files}
    sources = {r.path: r.source for r in result.files if r.source and r.source != "-"}
    for path, have in (archived.lines if archived else {}).items():  # archived figures' lines: not read again
        lines.setdefault(path, {}).update(have)
    # figures of cross-article conflicts are found after each article's text was let go: read their lines
    for chk in list(result.conflicts) + (archived.checks if archived else []):
        if chk.status != "discrepancy":
            continue
        for _, c in chk.claims:
            want = range(c.line, c.line + c.text.count("\n") + 1)
            have = lines.setdefault(c.path, {})
            if all(n in have for n in want):
                continue
            try:
                from factcheck.documents import read_document

                text_lines = read_document(sources.get(c.path, c.path)).text.split("\n")
            except Exception:
                continue
            for n in want:
                if 0 < n <= len(text_lines):
                    have[n] = text_lines[n - 1]
    if fmt == "html":
        from factcheck.report.html import render_html

        return render_html(report, result, rules)
    from factcheck.report.terminal import render_text

    return render_text(report, lines, color, show_ok, columns)


def _lang(lang: str | None, paths=()) -> str:
    """The language of a command: --lang, else `lang` in the configuration found as `check` finds it,
    else Chinese; set for the process (i18n.use)."""
    from factcheck import i18n

    if lang is None:
        from factcheck.config import ConfigError, load_config

        try:
            lang = load_config(None, paths).get("lang")
        except ConfigError as e:
            _fail(str(e))
    return i18n.use(lang or i18n.DEFAULT_LANGUAGE)


@main.command("claims")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--include", multiple=True, help="Glob of files to read in folders.")
@click.option("--exclude", multiple=True, help="Glob of files or folders to skip.")
@click.option("--lang", type=click.Choice(LANGS), default=None, help="Language of the table's headings: zh or en.")
def claims_cmd(paths, fmt, include, exclude, lang):
    """List the numeric claims extracted from PATHS.

    \b
    Example:
      factcheck claims seeds/000_3e47b0061565aec6.txt
      factcheck claims seeds/ --format json
    """
    import json

    from factcheck import i18n
    from factcheck.pipeline import run
    from factcheck.report.build import claim_dict

    lang = _lang(lang, paths)
    result = run(paths, [], include=_split(include), exclude=_split(exclude), lang=lang)
    rows = [claim_dict(c) for r in sorted(result.files, key=lambda r: r.path) for c in r.claims]
    if fmt == "json":
        sys.stdout.write(json.dumps({"claims": rows}, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    else:
        from factcheck.report.terminal import width

        head = [i18n.gettext(h) for h in (i18n.N_("location"), i18n.N_("text"), i18n.N_("value"), i18n.N_("unit"),
                                          i18n.N_("qualifier"), i18n.N_("modality"), i18n.N_("time"),
                                          i18n.N_("subject"))]
        table = [[_shown(cell) for cell in (
                  f"{r['path']}:{r['line']}:{r['column']}", r["text"].replace("\n", "⏎"),
                  r["value"] + (f"-{r['value_high']}" if r["value_high"] else ""), r["unit"],
                  i18n.qualifier_word(r["qualifier"]), i18n.modality_word(r["modality"]), r["time"] or "",
                  r["subject"])] for r in rows]
        widths = [max([width(h)] + [width(row[i]) for row in table]) for i, h in enumerate(head)]
        for row in [head] + table:
            sys.stdout.write("  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths)).rstrip() + "\n")
    errors = result.input_errors + [r for r in result.files if r.error]
    from factcheck.runtime import message

    for e in errors:
        message(f"factcheck: {_shown(e.path)}: {_shown(getattr(e, 'reason', None) or e.error)}")
    if not result.files and not result.input_errors:
        _fail(_nothing_to_check(paths, _split(include), _split(exclude)))
    sys.exit(2 if errors else 0)


@main.command("rules")
@click.option("--validate", "validate_dir", type=click.Path(), help="Validate every rule file in DIR and exit.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), help="Extra folder of rule files.")
@click.option("--lang", type=click.Choice(LANGS), default=None, help="Language of the titles: zh or en.")
def rules_cmd(validate_dir, rule_dirs, lang):
    """List the rules (or validate a folder of rule files).

    \b
    Example:
      factcheck rules
      factcheck rules --validate my-rules/
    """
    from factcheck import i18n
    from factcheck.rules.schema import RuleError, load_rules

    _lang(lang)
    if validate_dir:
        try:
            rules = load_rules([validate_dir])
        except RuleError as e:
            _fail(str(e))
        from factcheck.rules.validate import check_examples

        problems = check_examples(rules)
        for p in problems:
            click.echo(f"factcheck: {_shown(p)}", err=True)
        if problems:
            sys.exit(2)
        click.echo(i18n.gettext("{rules} in {folder}").format(rules=i18n.count(len(rules), "rule"),
                                                             folder=validate_dir))
        return
    from factcheck.report.terminal import width, wrap

    rules = _load_rules(rule_dirs, (), ())
    columns = terminal_columns() or 100
    sev = {r.id: i18n.severity_word(r.severity) for r in rules}
    name_w = max((len(r.name) for r in rules), default=0)
    sev_w = max((width(x) for x in sev.values()), default=0)
    for r in rules:
        lead = f"{r.id}  {r.name:<{name_w}}  {sev[r.id]}{' ' * (sev_w - width(sev[r.id]))}  "
        title = _shown(i18n.rule_title(r))
        for line in wrap(title, columns, " " * width(lead), lead):
            click.echo(line)


@main.command("rule")
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), help="Extra folder of rule files.")
@click.option("--lang", type=click.Choice(LANGS), default=None, help="Language of the documentation: zh or en.")
def rule_cmd(rule_id, rule_dirs, lang):
    """Show one rule's documentation: what it checks, why, and examples.

    \b
    Example:
      factcheck rule FC101
    """
    from factcheck import i18n
    from factcheck.display import shown_text
    from factcheck.report.terminal import wrap

    _lang(lang)
    rules = _load_rules(rule_dirs, (), ())
    match = [r for r in rules if r.id == rule_id.upper() or r.name == rule_id]
    if not match:
        _fail(f"no rule {rule_id!r}; `factcheck rules` lists them")
    r = match[0]
    from factcheck.rules.formula import to_sympy

    try:
        import sympy

        pretty = sympy.pretty(to_sympy(r.compiled), use_unicode=True)
    except Exception:
        pretty = ""
    columns = terminal_columns() or 100
    docs = i18n.rule_docs(r)
    colon = i18n.gettext(": ")
    out = [shown_text(f"{r.id} {r.name}{colon}{i18n.rule_title(r)}"),
           i18n.gettext("kind {kind}, severity {severity}, window {window}").format(
               kind=r.kind, severity=i18n.severity_word(r.severity), window=i18n.window_word(r.window)), ""]
    for heading, text in ((i18n.gettext("What it checks"), docs["what"]), (i18n.gettext("Why it matters"), docs["why"])):
        out.append(heading)
        out.extend(wrap(shown_text(" ".join(text.split())), columns, "  "))
        out.append("")
    out.append(i18n.gettext("Formula"))
    out.append("  " + shown_text(r.formula))
    if "\n" in pretty.strip("\n"):  # a fraction or a sum drawn over lines; a one-line form would say it twice
        out.extend("  " + ln for ln in shown_text(pretty).splitlines())
    for heading, examples in ((i18n.gettext("Example that fails"), r.examples.fail),
                              (i18n.gettext("Example that passes"), r.examples.pass_)):
        out.append("")
        out.append(heading)
        for ex in examples:
            for part in shown_text(ex).split("\n"):
                out.extend(wrap(part, columns, "    ", "  "))
    out.append("")
    out.append(i18n.gettext("Source: {path}").format(path=_shown(r.path)))
    click.echo("\n".join(out))


@main.command("schema")
def schema_cmd():
    """Print the JSON Schema of the --format json report."""
    import json

    from factcheck.report.model import Report

    sys.stdout.write(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n")


# ---------------------------------------------------------------------------------------------- the server

def _size(value: str) -> int:
    """A size in bytes: 1048576, 512KB, 1MB (KB and MB of 1024)."""
    import re

    m = re.fullmatch(r"\s*(\d+)\s*(b|kb|k|mb|m)?\s*", value.lower())
    if m is None or int(m.group(1)) <= 0:
        _fail(f"--max-body must be a size such as 1048576, 512KB or 1MB, got {value!r}")
        raise SystemExit(2)  # unreachable: _fail exits
    return int(m.group(1)) * {None: 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024 ** 2, "mb": 1024 ** 2}[m.group(2)]


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: a free one, printed at start).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Checking processes (each checks one article at a time: about one per core).")
@click.option("--archive", "archive_url", envvar="FACTCHECK_ARCHIVE",
              help="Also compare each article with this claim archive (an SQLite file or postgresql://…).")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), help="Extra folder of rule files.")
@click.option("--allow-index", is_flag=True, help="Let POST /v1/index add articles to the archive.")
@click.option("--token-file", type=click.Path(dir_okay=False),
              help="Require `Authorization: Bearer TOKEN` on /v1/*, TOKEN being this file's first line.")
@click.option("--max-body", default="1MB", show_default=True, help="Largest request body (bytes, or 512KB, 1MB).")
@click.option("--timeout", type=click.FloatRange(min=0.001), default=10.0, show_default=True,
              help="Time limit of a request in seconds (a check past it is stopped: 503).")
@click.option("--max-queue", type=click.IntRange(min=1), default=None,
              help="Requests under way at most; more get 503 at once (default: 100 per checking process).")
@click.option("--approx-tolerance", type=str, default="0.05", show_default=True,
              help="Relative tolerance for 约/近/左右.")
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="Log every request.")
def serve_cmd(host, port, workers, archive_url, rule_dirs, allow_index, token_file, max_body, timeout, max_queue,
              approx_tolerance, access_log):
    """Serve the check over HTTP: POST /v1/check for a publishing system's gate, a page for editors at /.

    An article (JSON {"text": …}, or plain text / Markdown) gets the report of `factcheck check
    --format json` and "pass". The rules and the lexicon are loaded once, at start; one event loop
    reads the requests and hands them, in arrival order, to --workers checking processes, one of which
    is replaced when a check overruns --timeout. docs/serve.md has the API, a reverse proxy's
    configuration and a CMS gate.

    \b
    Examples:
      factcheck serve
      factcheck serve --workers 2 --archive archive.sqlite
      curl -d @article.json localhost:8000/v1/check
    """
    try:
        approx = Decimal(str(approx_tolerance))
        if not (0 <= approx < 1):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        _fail(f"--approx-tolerance must be a number from 0 to 1, got {approx_tolerance!r}")
    from factcheck.serve.server import StartError, prepare, run
    from factcheck.serve.settings import Settings

    settings = Settings(host=host, port=port, workers=workers, archive=archive_url or None, rules=tuple(rule_dirs),
                        allow_index=allow_index, token_file=token_file, max_body=_size(max_body), timeout=timeout,
                        max_queue=max_queue or 0, approx_tolerance=str(approx), access_log=access_log)
    try:
        settings, warnings = prepare(settings)
    except StartError as e:
        _fail(str(e))
    for w in warnings:
        click.echo(f"factcheck: warning: {w}", err=True)
    run(settings)


# ---------------------------------------------------------------------------------------------- the archive

def _archive_spec(given, cfg: dict, default: str | None = "archive.sqlite"):
    """(URL as given, folder a relative SQLite path is relative to) from --archive / FACTCHECK_ARCHIVE, the
    configuration's `archive`, or the default; None when there is none. A malformed URL fails here."""
    if given:
        value, base = given, None
    elif cfg.get("archive"):
        value, base = cfg["archive"], cfg.get("_dir")
    elif default:
        value, base = default, None
    else:
        return None
    from factcheck.archive import ArchiveError
    from factcheck.archive.url import parse

    try:
        parse(value, base)
    except ArchiveError as e:
        _fail(str(e))
    return value, base


def _archive_file(spec) -> str | None:
    """The SQLite file of an archive spec (an input no output may replace), else None."""
    if spec is None:
        return None
    from factcheck.archive.url import parse

    url = parse(*spec)
    return url.path if url.backend == "sqlite" else None


def _archive_failed(e: BaseException, debug: bool, spec) -> None:
    """An unexpected error while using the archive: one line, the traceback with --debug; never the
    URL's password."""
    import traceback

    from factcheck.archive.url import parse

    url = parse(*spec)
    msg = url.scrub(f"factcheck: {url.shown}: internal error: {type(e).__name__}: {e}")
    if debug:
        msg += "\n" + url.scrub(traceback.format_exc())
    else:
        msg += " (run with --debug for the traceback)"
    from factcheck.display import shown_text
    from factcheck.runtime import message

    message(shown_text(msg))
    sys.exit(2)


def _archive_findings(spec, result, rules, approx, cfg: dict, debug: bool):
    if spec is None:
        return None
    from factcheck.archive import ArchiveError
    from factcheck.archive.lookup import check_against_archive

    try:
        found = check_against_archive(spec[0], result.files, rules, approx, spec[1],
                                      cfg.get("per_file_ignores", {}), cfg.get("_dir"), cfg.get("_file"))
    except ArchiveError as e:
        _fail(str(e))
    except Exception as e:
        _archive_failed(e, debug, spec)
    from factcheck.runtime import message

    for w in found.warnings:
        message(f"factcheck: warning: {_shown(w)}")
    return found


def _config_or_fail(config_path, paths) -> dict:
    from factcheck.config import ConfigError, load_config

    try:
        return load_config(config_path, paths)
    except ConfigError as e:
        _fail(str(e))
        raise  # unreachable


def _open_archive(spec, create: bool = False, readonly: bool = False, debug: bool = False):
    from factcheck.archive import ArchiveError
    from factcheck.archive.store import open_store
    from factcheck.archive.url import parse

    try:
        return open_store(parse(*spec), create=create, readonly=readonly)
    except ArchiveError as e:
        _fail(str(e))
    except Exception as e:
        _archive_failed(e, debug, spec)


ARCHIVE_HELP = ("The claim archive: an SQLite file or postgresql://user@host/db (default: `archive` in the "
                "configuration, else archive.sqlite).")


@main.command("index")
@click.argument("paths", nargs=-1, required=True)
@click.option("--archive", "archive_url", envvar="FACTCHECK_ARCHIVE", help=ARCHIVE_HELP)
@click.option("--prune", is_flag=True, help="Remove archived articles under PATHS whose files are gone.")
@click.option("--include", multiple=True, help="Glob of files to read in folders (default *.txt, *.md).")
@click.option("--exclude", multiple=True, help="Glob of files or folders to skip.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), help="Extra folder of rule files.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (0: all cores).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="A factcheck.toml or pyproject.toml.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def index_cmd(paths, archive_url, prune, include, exclude, rule_dirs, jobs, config_path, progress, debug):
    """Store the claims of the articles under PATHS in the claim archive.

    Unchanged files (the same content hash) are skipped, changed ones replaced; each article is written
    in one transaction, so an interrupted run leaves the archive consistent and the next run completes
    it. `factcheck check NEW... --archive URL` then compares new articles with everything indexed.

    \b
    Examples:
      factcheck index seeds/ --archive archive.sqlite
      factcheck index articles/ --archive postgresql://factcheck@db.example/newsroom --prune
    """
    from decimal import Decimal as D

    cfg = _config_or_fail(config_path, paths)
    spec = _archive_spec(archive_url, cfg)
    include = _split(include) or tuple(cfg.get("include", ()))
    exclude = _split(exclude) + tuple(cfg.get("exclude", ()))
    rule_dirs = tuple(rule_dirs) + tuple(cfg.get("rules", ()))
    rules = _load_rules(rule_dirs, (), ())
    from factcheck.documents import InputError, iter_inputs

    listed = list(iter_inputs(paths, include, exclude))
    errors = [(x.path, x.reason) for x in listed if isinstance(x, InputError)]
    files = []
    for x in listed:
        if isinstance(x, InputError):
            continue
        if x == "-":
            errors.append(("-", "standard input cannot be indexed: give files or folders"))
        else:
            files.append(x)
    files = sorted(set(files))
    store = _open_archive(spec, create=True, debug=debug)
    from factcheck.archive.indexer import index
    from factcheck.progress import Progress

    show = progress if progress is not None else sys.stderr.isatty()
    bar = Progress(enabled=show, delay=0.0 if progress else 1.0)

    def planned(n: int) -> None:
        bar.total = n

    from factcheck import runtime
    from factcheck.archive import ArchiveError
    from factcheck.archive.store import db_error

    try:
        res = index(store, files, rules, rule_dirs, D(str(cfg.get("approx_tolerance", "0.05"))),
                    jobs or (os.cpu_count() or 1), prune_roots=list(paths) if prune else None, progress=bar.update,
                    on_plan=planned)
        total = store.count()
    except ArchiveError as e:
        bar.close()
        _fail(str(e))
    except (KeyboardInterrupt, runtime.Terminated) as e:  # Ctrl-C (130) or SIGTERM (143): the workers are stopped
        bar.close()
        runtime.message(f"factcheck: {'terminated' if isinstance(e, runtime.Terminated) else 'interrupted'}; the "
                        f"articles written so far are in {_shown(store.url.shown)} (run the same command again "
                        "to finish)")
        sys.exit(runtime.EXIT_TERMINATED if isinstance(e, runtime.Terminated) else runtime.EXIT_INTERRUPTED)
    except Exception as e:
        bar.close()
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(e, SQLAlchemyError):
            _fail(str(db_error(store.url, e)))
        _archive_failed(e, debug, spec)
    finally:
        store.close()
    bar.close()
    errors += res.errors
    for path, reason in errors:
        runtime.message(f"factcheck: {_shown(path)}: {_shown(reason)}")
    for path, tb in res.internal:
        if debug:
            runtime.message(tb)
    removed = f", {len(res.removed)} removed" if prune else ""
    click.echo(f"{_shown(store.url.shown)}: {res.indexed} article{'s' if res.indexed != 1 else ''} indexed "
               f"({res.claims} claims, {res.facts} facts), {res.unchanged} unchanged{removed}"
               f"{f', {len(errors)} not readable' if errors else ''}; the archive holds {total} "
               f"article{'s' if total != 1 else ''}")
    sys.exit(2 if errors else 0)


@main.group("archive")
def archive_group():
    """Read the claim archive: its size, every figure stated for a fact, one article's claims.

    \b
    Examples:
      factcheck archive stats --archive archive.sqlite
      factcheck archive search 重大产业项目 --place 二七区
      factcheck archive show seeds/003_a7e8c9d2e0f9aae0.txt --format json
    """


def _archive_options(f):
    f = click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")(f)
    f = click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="A factcheck.toml or pyproject.toml.")(f)
    f = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)(f)
    f = click.option("--archive", "archive_url", envvar="FACTCHECK_ARCHIVE", help=ARCHIVE_HELP)(f)
    return f


def _reading(archive_url, config_path, debug: bool):
    cfg = _config_or_fail(config_path, [])
    spec = _archive_spec(archive_url, cfg)
    return spec, _open_archive(spec, readonly=True, debug=debug)


def _query(store, spec, debug: bool, fn):
    from factcheck.archive import ArchiveError
    from factcheck.archive.store import db_error

    try:
        return fn()
    except ArchiveError as e:
        _fail(str(e))
    except Exception as e:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(e, SQLAlchemyError):
            _fail(str(db_error(store.url, e)))
        _archive_failed(e, debug, spec)
    finally:
        store.close()


@archive_group.command("stats")
@_archive_options
def archive_stats_cmd(archive_url, fmt, config_path, debug):
    """How many articles, claims and facts the archive holds, and of which places and periods."""
    from factcheck.archive.records import conflict_rule, extractor_fingerprint
    from factcheck.archive.views import as_json, stats_text

    spec, store = _reading(archive_url, config_path, debug)
    fp = extractor_fingerprint(conflict_rule(_load_rules((), (), ())))
    d = _query(store, spec, debug, lambda: store.stats(fp))
    sys.stdout.write(as_json(d) if fmt == "json" else stats_text(d))


def _bound(value, unit, what: str):
    """A value bound of a search: a number with an optional unit (1000亿元, 40%, 97个), in base units."""
    if value is None:
        return None
    import re

    from factcheck.units import table

    m = re.fullmatch(r"\s*([-+]?\d+(?:\.\d+)?)\s*(\S*)\s*", value)
    if m is None:
        return _fail(f"{what}: expected a number with an optional unit (1000亿元, 40%, 97个), got {value!r}")
    number, u = Decimal(m.group(1)), m.group(2) or unit
    if not u:
        return float(number)
    info = table().get(u)
    if info is None:
        return _fail(f"{what}: unknown unit {u!r} in {value!r}")
    return float(number * info.factor)


@archive_group.command("search")
@click.argument("words", nargs=-1)
@click.option("--place", help="Only articles about this place (区/县/市), e.g. 二七区.")
@click.option("--period", help="Only figures of this period: 2024, 2024-H1, 2024-Q1-3 …")
@click.option("--unit", help="Only figures stated in this unit or with this base unit (亿元, 元, 个, %).")
@click.option("--min", "low", help="Smallest value, with an optional unit (1000亿元; a bare number: in --unit).")
@click.option("--max", "high", help="Largest value, with an optional unit.")
@click.option("--facts", "facts_only", is_flag=True, help="Only facts (figures another article can contradict).")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
@_archive_options
def archive_search_cmd(words, place, period, unit, low, high, facts_only, limit, archive_url, fmt, config_path, debug):
    """Every archived figure whose subject has all of WORDS: the figures stated for a fact over time,
    with their articles and lines.

    \b
    Examples:
      factcheck archive search 重大产业项目 --place 二七区
      factcheck archive search 总投资 --unit 亿元 --min 1000亿元 --format json
    """
    from factcheck.archive.views import as_json, search_text

    lo, hi = _bound(low, unit, "--min"), _bound(high, unit, "--max")
    spec, store = _reading(archive_url, config_path, debug)
    rows, more = _query(store, spec, debug, lambda: store.search(list(words), place, period, unit, lo, hi,
                                                                 facts_only, limit))
    if fmt == "json":
        sys.stdout.write(as_json({"results": rows, "truncated": more}))
    else:
        sys.stdout.write(search_text(rows, more, limit))


@archive_group.command("show")
@click.argument("path")
@_archive_options
def archive_show_cmd(path, archive_url, fmt, config_path, debug):
    """One archived article: its title, date, place and every claim stored for it."""
    from factcheck.archive.views import as_json, show_text

    spec, store = _reading(archive_url, config_path, debug)
    key = os.path.normpath(path)  # as the index stored it: seeds/x.txt for ./seeds/x.txt
    d = _query(store, spec, debug, lambda: store.show(key))
    if d is None:
        _fail(f"{path}: not in the archive {store.url.shown}")
    sys.stdout.write(as_json(d) if fmt == "json" else show_text(d))


if __name__ == "__main__":
    main()
