#!/usr/bin/env python3
"""Checks that territory-cli's help is complete and agrees with its parser and its docs.

usage: check_cli_help.py CLI DOC.md [DOC.md ...] [--pending CMD | CMD:--flag ...]

- `help` exits 0 and lists every command; `COMMAND --help`, `COMMAND -h` and `help COMMAND`
  exit 0 with the same text on stdout and nothing on stderr.
- Each command's usage line and its options list name the same flags.
- The parser agrees with the help: every listed flag is accepted (never "unknown argument"), a
  flag shown with a value needs one, a switch takes none, every required flag (shown without
  brackets) is reported missing when left out, and an unlisted flag is rejected.
- Every flag that the docs (fenced `territory-cli COMMAND ...` blocks of each DOC.md) give a
  command is in that command's help. --pending names commands or flags that the contract
  documents but the CLI does not implement yet; the check fails if a pending one shows up in
  the help, so the list has to shrink as they land.
Prints "check_cli_help: ok" on success, "FAIL: ..." lines otherwise.
"""
import re
import subprocess
import sys

FLAG = re.compile(r"--[a-z][a-z0-9-]*")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(cli, *args):
    p = subprocess.run([cli, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def command_words(line):
    """'plan --accounts FILE [..]' -> 'plan'; 'rules validate --rules ..' -> 'rules validate'."""
    words = []
    for tok in line.split():
        if not re.fullmatch(r"[a-z]+", tok):
            break
        words.append(tok)
    return " ".join(words)


def doc_commands(path):
    """{command: set of flags} from fenced blocks starting with 'territory-cli COMMAND'; a fenced
    block without such a line belongs to the command named as `COMMAND` in the text just before it."""
    out = {}
    lines = open(path, encoding="utf-8").read().split("\n")
    in_block, current, last_named = False, None, None
    for line in lines:
        if line.startswith("```"):
            in_block = not in_block
            current = last_named if in_block else None
            continue
        if not in_block:
            m = re.findall(r"of `([a-z ]+)`", line)
            if m:
                last_named = m[-1]
            elif not line.strip():
                last_named = None
            continue
        m = re.match(r"territory-cli ([a-z].*)", line)
        if m:
            current = command_words(m.group(1))
            if "|" in m.group(1) and not FLAG.search(m.group(1)):  # 'territory-cli version | help'
                current = None
                continue
        elif line and not line[0].isspace():
            current = None
        if current:
            out.setdefault(current, set()).update(FLAG.findall(line))
    return out


def parse_help(text):
    """(synopsis flags {flag: required}, option flags {flag: has_value})."""
    usage, options, section = "", {}, "usage"
    for line in text.split("\n"):
        if line.startswith("options:"):
            section = "options"
            continue
        if section == "usage":
            if not line.strip():
                section = "summary"
                continue
            usage += " " + line
        elif section == "options":
            m = re.match(r"  (--[a-z][a-z0-9-]*)( (\S+))?", line)
            if m:
                options[m.group(1)] = m.group(3) is not None
            elif line and not line.startswith(" "):
                section = "notes"
    synopsis = {}
    for m in re.finditer(r"(\[)?(--[a-z][a-z0-9-]*)", usage):
        synopsis[m.group(2)] = m.group(1) is None
    return synopsis, options


def main():
    argv = sys.argv[1:]
    pending = []
    if "--pending" in argv:
        i = argv.index("--pending")
        pending, argv = argv[i + 1:], argv[:i]
    cli, docs = argv[0], argv[1:]

    rc, out, err = run(cli, "help")
    if rc != 0 or err or "commands:" not in out:
        fail(f"'help' exit {rc}, stderr {err!r}")
    commands, listed = [], {}  # listed: command -> its usage lines in 'help'
    listing = out.split("commands:\n", 1)[-1].split("\n\n", 1)[0]
    current = None
    for line in listing.split("\n"):
        if line.startswith("  ") and not line.startswith("   "):
            current = command_words(line)
            listed[current] = line
            if current not in ("help", "version"):
                commands.append(current)
        elif current:
            listed[current] += line
    print("commands in help:", ", ".join(commands))
    if len(commands) < 5:
        fail(f"'help' lists only {commands}")
    if "help" not in listed or "version" not in listed:
        fail("'help' does not list 'help' and 'version'")

    for c in commands:
        words = c.split()
        rc, text, err = run(cli, *words, "--help")
        if rc != 0 or err or not text.startswith("usage: territory-cli " + c + " "):
            fail(f"'{c} --help': exit {rc}, stderr {err!r}, stdout starts {text[:60]!r}")
            continue
        for variant in ([*words, "-h"], ["help", *words], [*words, "--bogus", "--help"]):
            rc2, text2, err2 = run(cli, *variant)
            if rc2 != 0 or err2 or text2 != text:
                fail(f"'{' '.join(variant)}' differs from '{c} --help' (exit {rc2}, stderr {err2!r})")
        synopsis, options = parse_help(text)
        if set(synopsis) != set(options):
            fail(f"{c}: usage line flags {sorted(synopsis)} != options list {sorted(options)}")
        line_flags = set(FLAG.findall(listed[c]))
        if line_flags != set(options):
            fail(f"{c}: 'help' lists {sorted(line_flags)}, '{c} --help' {sorted(options)}")
        required = [f for f, req in synopsis.items() if req]
        # the parser agrees with the help
        for f, has_value in options.items():
            rc, o, e = run(cli, *words, f)
            if "unknown argument" in e:
                fail(f"{c}: the help lists {f} but the parser rejects it: {e.strip()}")
            if has_value and not (rc == 1 and f"'{f}' needs a value" in e):
                fail(f"{c}: the help shows {f} with a value but '{c} {f}' says: {e.strip()!r}")
            if not has_value and "needs a value" in e:
                fail(f"{c}: the help shows {f} as a switch but the parser wants a value")
            if has_value:
                rc, o, e = run(cli, *words, f, "x")
                if "unknown argument" in e:
                    fail(f"{c}: the parser rejects '{f} x': {e.strip()}")
        for f in required:
            given = []
            for g in required:
                if g != f:
                    given += [g, "x"] if options.get(g) else [g]
            rc, o, e = run(cli, *words, *given)
            if rc != 1 or e.strip() != f"territory-cli: missing required argument '{f}'":
                fail(f"{c}: {f} is shown as required but leaving it out gives exit {rc}: {e.strip()!r}")
        rc, o, e = run(cli, *words, "--not-a-flag")
        if rc != 1 or "unknown argument '--not-a-flag'" not in e:
            fail(f"{c}: an unlisted flag is not rejected (exit {rc}, {e.strip()!r})")
        print(f"{c}: {len(options)} flags ({len(required)} required) in the help, all agree with the parser")
        globals().setdefault("helps", {})[c] = options

    helps = globals().get("helps", {})
    for doc in docs:
        for c, flags in doc_commands(doc).items():
            if c in pending:
                if c in helps:
                    fail(f"{c} is listed as pending but the CLI has it now: drop it from --pending")
                continue
            if c not in helps:
                fail(f"{doc} documents command '{c}', which 'help' does not list")
                continue
            before = len(failures)
            for f in sorted(flags):
                key = f"{c}:{f}"
                if key in pending:
                    if f in helps[c]:
                        fail(f"{key} is listed as pending but the CLI has it now: drop it from --pending")
                    continue
                if f not in helps[c]:
                    fail(f"{doc} gives '{c}' the flag {f}, which '{c} --help' does not list")
            if len(failures) == before:
                print(f"{doc}: {c}: {len(flags)} documented flags, all in the help")
    if failures:
        print(f"check_cli_help: {len(failures)} failures")
        return 1
    print("check_cli_help: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
