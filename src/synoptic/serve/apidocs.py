"""The interactive API reference at ``/api/v1/docs``, built from the app's own OpenAPI document.

Served from the package (template, ``static/synoptic.js``): no CDN, nothing downloaded, and
the page's strict policy holds (no inline script). Each operation lists its parameters, body
types, answers and whether it needs the token; "Try it" sends the request from the browser
(with the token typed there, kept in the page only).
"""

from __future__ import annotations

from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[-1]
    kind = schema.get("type")
    if kind == "array":
        return f"list of {_schema_name(schema.get('items', {}))}"
    if isinstance(kind, str):
        return kind
    options = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(options, list):
        return " or ".join(_schema_name(o) for o in options if isinstance(o, dict))
    return "any"


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the template data of every operation in an OpenAPI document, in path order."""
    global_security = bool(document.get("security"))
    out = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            params = [
                {
                    "name": p.get("name", ""),
                    "in": p.get("in", ""),
                    "required": bool(p.get("required")),
                    "type": _schema_name(p.get("schema", {})),
                    "description": p.get("description", ""),
                }
                for p in op.get("parameters", [])
                if isinstance(p, dict)
            ]
            body = op.get("requestBody", {}).get("content", {})
            out.append(
                {
                    "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "body_types": list(body),
                    "responses": [
                        {"status": code, "description": r.get("description", "")}
                        for code, r in op.get("responses", {}).items()
                        if isinstance(r, dict)
                    ],
                    "secured": bool(op.get("security")) or global_security,
                }
            )
    return out


__all__ = ["operations"]
