"""Tandem's function-style harness for Python (runs inside the box).

stdin:  <nonce>\n<config json>\n<test count>\n<args json>\n...
        config: {"function", "params", "returns", "source", "memoryBytes"}
stdout: the candidate's prints, with frames "\x1e<nonce><kind>..." between them
        (see sandbox/box/HarnessStream.ts for the kinds).

The candidate's code is compiled from the config's source as the module `solution`, so stack
traces show "solution.py" with the candidate's own line numbers.
"""

import builtins
import json
import linecache
import os
import re
import sys
import time
import traceback
import types

_write = os.write
_exit = os._exit


def main():
    data = sys.stdin.buffer.read().decode("utf-8")
    lines = data.split("\n")
    nonce = lines[0].encode("ascii")
    config = json.loads(lines[1])
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
    linecache.cache["solution.py"] = (len(source), None, source.splitlines(True), "solution.py")
    try:
        code = compile(source, "solution.py", "exec")
    except (SyntaxError, ValueError) as error:
        message = "".join(traceback.format_exception_only(type(error), error))
        frame("C", json.dumps({"message": message}))
        _exit(0)

    module = types.ModuleType("solution")
    module.__file__ = "solution.py"
    sys.modules["solution"] = module
    try:
        exec(code, module.__dict__)
    except BaseException as error:  # noqa: BLE001 - anything the module does at import
        frame("F", json.dumps(_describe(error)))
        _exit(0)

    function = _find(module, config["function"])
    if function is None:
        snake = _snake(config["function"])
        frame(
            "F",
            json.dumps(
                {"message": "solution.py has no function %s (or %s)" % (snake, config["function"])}
            ),
        )
        _exit(0)

    params = config["params"]
    for index, line in enumerate(arg_lines):
        frame("S%d" % index)
        try:
            args = [_convert(value, spec["type"]) for value, spec in zip(json.loads(line), params)]
            result = function(*args)
            payload = json.dumps(result, allow_nan=False, separators=(",", ":"))
        except MemoryError:
            frame("M%d" % index, json.dumps({"message": "MemoryError"}))
            _exit(0)
        except BaseException as error:  # noqa: BLE001 - a test's failure is reported, not raised
            frame("E%d" % index, json.dumps(_describe(error)))
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
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


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
