"""Tandem's function-style harness for Python (runs inside the box).

stdin:  <nonce>\n<config json>\n<test count>\n<args json>\n...
        config: {"function", "params", "returns", "source", "memoryBytes"}
stdout: the candidate's prints, with frames "\x1e<nonce><kind>..." between them
        (see sandbox/box/HarnessStream.ts for the kinds).

The candidate's code is compiled from the config's source as the module `solution`, so stack
traces show "solution.py" with the candidate's own line numbers.

The box imports this file before its run exists, and every run gets a new box: the harness
imports only what the interpreter has loaded anyway. `json` alone (with `re` and `enum` behind
it) cost ~8 ms of CPU per box, a fifth of a box's whole cost; its C half `_json` does the same
work. `traceback` is imported when an error is reported.
"""

import builtins
import os
import sys

_write = os.write
_exit = os._exit


class _Scanner:
    """The settings `_json.make_scanner` reads, as `json.JSONDecoder` would give them."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = None


def _default(value):
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


try:
    import _json

    _scan = _json.make_scanner(_Scanner())

    def _loads(text):
        value, end = _scan(text, 0)
        if end != len(text):
            raise ValueError("trailing characters in JSON")
        return value

    def _dumps(value):
        # What json.dumps(value, allow_nan=False, separators=(",", ":")) passes. A new encoder
        # each time: a failed encode leaves its containers in the circular-reference markers.
        encode = _json.make_encoder(
            {}, _default, _json.encode_basestring_ascii, None, ":", ",", False, False, False
        )
        return "".join(encode(value, 0))

    _dumps([1.5, "é", {"a": None}])
except Exception:  # noqa: BLE001 - another interpreter's _json: the slower module does the same
    import json

    def _loads(text):
        return json.loads(text)

    def _dumps(value):
        return json.dumps(value, allow_nan=False, separators=(",", ":"))


class _SourceLoader:
    """Gives linecache (and so every traceback, the candidate's own too) solution.py's lines."""

    def __init__(self, source):
        self.source = source

    def get_source(self, name):
        return self.source


def main():
    data = sys.stdin.buffer.read().decode("utf-8")
    lines = data.split("\n")
    nonce = lines[0].encode("ascii")
    config = _loads(lines[1])
    count = int(lines[2])
    arg_lines = lines[3 : 3 + count]

    def frame(kind, payload=None):
        _flush()
        body = b"\x1e" + nonce + kind.encode("ascii")
        if payload is not None:
            body += b" " + payload.encode("utf-8")
        _write_all(body + b"\n")

    # Prints reach the host line by line, so a crash or a timeout still shows what was printed.
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except Exception:
        pass
    # -S skips `site`, which is what defines exit() and quit().
    builtins.exit = builtins.quit = sys.exit
    sys.setrecursionlimit(100_000)

    source = config["source"]
    try:
        code = compile(source, "solution.py", "exec")
    except (SyntaxError, ValueError) as error:
        import traceback

        message = "".join(traceback.format_exception_only(type(error), error))
        frame("C", _dumps({"message": message}))
        _exit(0)

    # The candidate's other files sit in /box beside this harness: `import util` finds them, as
    # it would beside a script (-I leaves the script's folder off sys.path). Last, not first: a
    # candidate's `traceback.py` must not replace the module the harness reports errors with.
    sys.path.append("/box")
    module = type(sys)("solution")
    module.__file__ = "solution.py"
    module.__loader__ = _SourceLoader(source)
    sys.modules["solution"] = module
    try:
        exec(code, module.__dict__)
    except BaseException as error:  # noqa: BLE001 - anything the module does at import
        frame("F", _dumps(_describe(error)))
        _exit(0)

    function = _find(module, config["function"])
    if function is None:
        snake = _snake(config["function"])
        frame(
            "F",
            _dumps(
                {"message": "solution.py has no function %s (or %s)" % (snake, config["function"])}
            ),
        )
        _exit(0)

    params = config["params"]
    for index, line in enumerate(arg_lines):
        frame("S%d" % index)
        try:
            args = [_convert(value, spec["type"]) for value, spec in zip(_loads(line), params)]
            result = function(*args)
            payload = _dumps(result)
        except MemoryError:
            frame("M%d" % index, _dumps({"message": "MemoryError"}))
            _exit(0)
        except BaseException as error:  # noqa: BLE001 - a test's failure is reported, not raised
            frame("E%d" % index, _dumps(_describe(error)))
            continue
        frame("R%d" % index, payload)
    frame("D")
    _exit(0)


def _find(module, name):
    """The candidate's function: snake_case, camelCase, or a method of a LeetCode-style class."""
    for candidate in (_snake(name), name):
        value = module.__dict__.get(candidate)
        if callable(value) and not isinstance(value, type):
            return value
    solution = module.__dict__.get("Solution")
    if isinstance(solution, type):
        for candidate in (_snake(name), name):
            if hasattr(solution, candidate):
                return getattr(solution(), candidate)
    return None


def _snake(name):
    """twoSum → two_sum: an underscore before each capital that follows a lowercase letter or digit."""
    out = []
    previous = ""
    for char in name:
        if "A" <= char <= "Z" and ("a" <= previous <= "z" or "0" <= previous <= "9"):
            out.append("_")
        out.append(char)
        previous = char
    return "".join(out).lower()


def _convert(value, spec):
    """JSON has one number type; a float parameter gets a float even when the test says 2."""
    kind = spec["kind"]
    if value is None:
        return None
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind == "array":
        return [_convert(item, spec["of"]) for item in value]
    if kind == "map":
        return {key: _convert(item, spec["of"]) for key, item in value.items()}
    if kind == "optional":
        return _convert(value, spec["of"])
    return value


def _describe(error):
    """The exception's message and its traceback without the harness's own frames."""
    if isinstance(error, SystemExit):
        return {"message": "SystemExit: the solution called exit()"}
    import traceback

    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != "solution.py":
        tb = tb.tb_next
    lines = traceback.format_exception(type(error), error, tb)
    message = "".join(traceback.format_exception_only(type(error), error)).strip()
    return {"message": message, "stack": "".join(lines).rstrip()}


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def _write_all(data):
    while data:
        written = _write(1, data)
        data = data[written:]


if __name__ == "__main__":
    main()
