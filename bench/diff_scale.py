#!/usr/bin/env python3
"""Writes a synthetic pair of OpenAPI 3.0 specs for bench/diff-scale.sh: N component schemas and
2N operations (GET /things{i}/{id} returns Schema{i}, POST /things{i} takes and returns it), each
schema with a few scalar properties, a list of tags and a `parent` reference to Schema{i // 2}
(a binary tree of references: a schema is reached from every operation of its subtree, as a
shared Stripe object is). In the revision, 1% of the schemas (every 100th) change the type of
`amount` from integer to string.

Usage: bench/diff_scale.py N OUT_DIR   (writes OUT_DIR/base.json and OUT_DIR/revision.json)
"""
import json
import os
import sys


def schema(i, changed):
    return {
        "type": "object",
        "required": ["id", "amount"],
        "properties": {
            "id": {"type": "string", "description": f"Identifier of thing {i}."},
            "name": {"type": "string", "maxLength": 200},
            "amount": {"type": "string", "pattern": "^[0-9]+$"}
            if changed
            else {"type": "integer", "minimum": 0},
            "status": {"type": "string", "enum": ["active", "inactive", "pending"]},
            "created": {"type": "string", "format": "date-time"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "parent": {"$ref": f"#/components/schemas/Schema{i // 2}"},
        },
    }


def spec(n, revision):
    paths = {}
    for i in range(n):
        ref = {"$ref": f"#/components/schemas/Schema{i}"}
        body = {"content": {"application/json": {"schema": ref}}}
        paths[f"/things{i}/{{id}}"] = {
            "get": {
                "operationId": f"getThing{i}",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "expand", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {"200": {"description": "The thing.", **body}},
            }
        }
        paths[f"/things{i}"] = {
            "post": {
                "operationId": f"createThing{i}",
                "requestBody": {"required": True, **body},
                "responses": {"201": {"description": "Created.", **body}},
            }
        }
    schemas = {f"Schema{i}": schema(i, revision and i % 100 == 0) for i in range(n)}
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Scale {n}", "version": "2" if revision else "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name, revision in [("base", False), ("revision", True)]:
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump(spec(n, revision), f)


if __name__ == "__main__":
    main()
