#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Checks recorded HTTP answers against the OpenAPI document.

    validate_responses.py OPENAPI_JSON ANSWERS_JSONL [MORE_ANSWERS_JSONL…]

ANSWERS_JSONL holds one {"method", "path", "status", "content_type", "body"} per line (tst_api
writes it). Each answer must belong to a documented operation, carry a documented status (or fall
under the operation's default, the error shape) and a content type documented for that status,
and a JSON body must validate against the schema of that status; every documented operation must
have answered with success (2xx) at least once: errors alone do not show that its success shape
is right. Exits 1 with every mismatch listed.
"""

import copy
import json
import re
import sys
import warnings

import jsonschema

# Newer jsonschema releases deprecate RefResolver; Debian 12's (4.10) has nothing else.
warnings.filterwarnings("ignore", category=DeprecationWarning)


def openapi_to_jsonschema(node):
    """OpenAPI 3.0 schemas are JSON Schema draft 4 plus `nullable`: rewrite that one keyword."""
    if isinstance(node, list):
        return [openapi_to_jsonschema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: openapi_to_jsonschema(value) for key, value in node.items()}
    if out.pop("nullable", False):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def operations(document):
    """(method, compiled path pattern, template, operation) for every documented operation."""
    found = []
    for template, item in document["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        for method, operation in item.items():
            found.append((method.upper(), re.compile(pattern), template, operation))
    return found


def response_content(document, operation, status):
    """The documented content of an answer with this status: {media type: {schema}}."""
    responses = operation["responses"]
    response = responses.get(str(status)) or responses.get("default")
    if response is None:
        return None, f"status {status} is not documented"
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response.get("content", {}), None


def check_content_type(content, answer, where, failures):
    """The answer's media type (without parameters) must be one the document names."""
    if "content_type" not in answer:
        failures.append(f"{where}: the answer's content type was not recorded")
        return
    media = answer["content_type"].split(";", 1)[0].strip().lower()
    if not content:
        if answer["body"]:
            failures.append(f"{where}: a body ({media}) where the document describes none")
        return
    if media not in content:
        failures.append(f"{where}: content type {media or '(none)'}, documented "
                        f"{', '.join(sorted(content))}")


# Streams are read by other means than the recorded client calls.
NOT_THROUGH_THE_CLIENT = {"GET /api/v1/events"}


def validate(document, resolver, schema, answer, where, failures):
    try:
        body = json.loads(answer["body"]) if answer["body"] else None
    except json.JSONDecodeError as error:
        failures.append(f"{where}: the body is not JSON ({error})")
        return
    validator = jsonschema.Draft4Validator(copy.deepcopy(schema), resolver=resolver)
    for error in validator.iter_errors(body):
        location = "/".join(str(part) for part in error.absolute_path) or "(body)"
        failures.append(f"{where}: {location}: {error.message}")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        document = openapi_to_jsonschema(json.load(f))
    answers = []
    for name in sys.argv[2:]:
        with open(name) as f:
            answers += [json.loads(line) for line in f if line.strip()]
    if not answers:
        print("no answers were recorded", file=sys.stderr)
        return 1

    ops = operations(document)
    resolver = jsonschema.RefResolver(base_uri="", referrer=document)
    failures = []
    covered = set()
    for number, answer in enumerate(answers, 1):
        method, path, status = answer["method"], answer["path"].split("?", 1)[0], answer["status"]
        where = f"answer {number}: {method} {answer['path']} → {status}"
        match = [op for op in ops if op[0] == method and op[1].match(path)]
        if not match:
            # Unknown paths (404) and known paths with another method (405) are the router's
            # answers: the error shape of every operation's default.
            if status in (404, 405):
                check_content_type({"application/json": {}}, answer, where, failures)
                validate(document, resolver, {"$ref": "#/components/schemas/Error"}, answer,
                         where, failures)
            else:
                failures.append(f"{where}: no documented operation")
            continue
        # The most literal template wins: /workers/heartbeat over /workers/{id}/….
        _, _, template, operation = max(match, key=lambda op: -op[2].count("{"))
        content, problem = response_content(document, operation, status)
        if problem:
            failures.append(f"{where}: {problem}")
            continue
        if 200 <= status < 300:
            covered.add(f"{method} {template}")
        check_content_type(content, answer, where, failures)
        if "application/json" in content:
            validate(document, resolver, content["application/json"]["schema"], answer, where,
                     failures)

    documented = {f"{op[0]} {op[2]}" for op in ops}
    print(f"{len(answers)} answers checked; {len(covered)} of {len(documented)} documented "
          f"operations seen answering with success")
    for route in sorted(documented - covered - NOT_THROUGH_THE_CLIENT):
        failures.append(f"{route}: no successful answer of this operation was checked")
    if failures:
        print(f"{len(failures)} answers do not match the document:", file=sys.stderr)
        for failure in failures[:200]:
            print("  " + failure, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
