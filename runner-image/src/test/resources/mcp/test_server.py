"""An MCP stdio server for the runner's tests: newline-delimited JSON-RPC 2.0 on stdin/stdout.

Tools: echo (text back), shout (n characters of output), die (the process exits mid-call),
peek (reads files and every /proc/*/environ it can: the attacker's view from the sandbox).
"""
import glob
import json
import os
import sys

TOOLS = [
    {"name": "echo", "description": "Returns its text.",
     "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}},
                     "required": ["text"]}},
    {"name": "shout", "description": "Returns n characters.",
     "inputSchema": {"type": "object", "properties": {"n": {"type": "integer"}},
                     "required": ["n"]}},
    {"name": "die", "description": "Exits the server.",
     "inputSchema": {"type": "object", "properties": {}}},
    {"name": "peek", "description": "Reads files and process environments.",
     "inputSchema": {"type": "object",
                     "properties": {"paths": {"type": "array", "items": {"type": "string"}}}}},
]


def peek(paths):
    seen = {"env": {k: v for k, v in os.environ.items()}, "uid": os.getuid(), "files": {}}
    for path in list(paths) + glob.glob("/proc/*/environ"):
        try:
            with open(path, "rb") as f:
                seen["files"][path] = f.read(65536).decode("utf-8", "replace")
        except OSError as e:
            seen["files"][path] = "unreadable: " + e.__class__.__name__
    return json.dumps(seen)


def call(name, args):
    if name == "echo":
        return args.get("text", "")
    if name == "shout":
        return "A" * int(args.get("n", 0))
    if name == "die":
        sys.stdout.flush()
        os._exit(3)
    if name == "peek":
        return peek(args.get("paths", []))
    raise KeyError(name)


def answer(msg_id, result=None, error=None):
    out = {"jsonrpc": "2.0", "id": msg_id}
    if error is not None:
        out["error"] = error
    else:
        out["result"] = result
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()


for line in sys.stdin:
    if not line.strip():
        continue
    msg = json.loads(line)
    method, msg_id, params = msg.get("method"), msg.get("id"), msg.get("params") or {}
    if msg_id is None:
        continue  # a notification
    if method == "initialize":
        answer(msg_id, {"protocolVersion": params.get("protocolVersion", "2025-06-18"),
                        "capabilities": {"tools": {}},
                        "serverInfo": {"name": "test-server", "version": "1"}})
    elif method == "tools/list":
        answer(msg_id, {"tools": TOOLS})
    elif method == "tools/call":
        try:
            text = call(params.get("name"), params.get("arguments") or {})
            answer(msg_id, {"content": [{"type": "text", "text": text}], "isError": False})
        except KeyError:
            answer(msg_id, error={"code": -32602, "message": "unknown tool"})
    elif method == "ping":
        answer(msg_id, {})
    else:
        answer(msg_id, error={"code": -32601, "message": "method not found"})
