"""Runs REDbot (https://redbot.org, `pip install redbot`) on one URL and
prints every note it rates bad or warning, one per line:

    <level> <NOTE_NAME> <url> — <summary>

Notes named with --allow are listed as allowed and do not count. Exits 1
when any other bad or warning note was found. One URL per process: REDbot's
event loop (thor) does not run cleanly a second time in the same process.
Used by bench/redbot.sh.
"""

import argparse
import sys
from configparser import ConfigParser

import thor
from httplint.note import levels
from redbot.resource import HttpResource


def check(url: str):
    """REDbot's notes on `url` (its own follow-up requests included)."""
    config = ConfigParser()
    config.read_dict({"redbot": {"enable_local_access": "True"}})
    resource = HttpResource(config["redbot"])
    resource.set_request(url)

    @thor.events.on(resource)
    def check_done() -> None:
        thor.stop()

    resource.check()
    thor.run()
    return resource


def notes_of(resource):
    for note in resource.response.notes:
        yield note
        yield from note.subnotes


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--allow", action="append", default=[], help="a note name that does not count")
    args = parser.parse_args()
    resource = check(args.url)
    status = resource.response.status_code if resource.response.complete else "no answer"
    print(f"# {args.url} → {status}", flush=True)
    if resource.fetch_error is not None:
        print(f"bad FETCH_ERROR {args.url} — {resource.fetch_error}")
        return 1
    found = 0
    for note in notes_of(resource):
        if note.level not in (levels.BAD, levels.WARN):
            continue
        name = type(note).__name__
        allowed = name in args.allow
        level = "bad" if note.level == levels.BAD else "warning"
        print(f"{'allowed ' if allowed else ''}{level} {name} {args.url} — {note.summary}", flush=True)
        found += 0 if allowed else 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
