"""A small validator for the subset of OpenAPI 3.0 schemas that
src/api/openapi.json uses, to check real responses against the published
document. Strict where a lenient checker would hide a mismatch:

- `nullable: true` admits null, but `enum` still applies (OpenAPI 3.0.3
  clarification): a nullable enum must list null among its values;
- an object schema without `additionalProperties` admits only the
  properties it (or its allOf branches) declares, so an undocumented field
  in a response is an error;
- a keyword outside the subset is an error, not silently ignored.

validate(doc, schema, value) returns a list of "path: problem" strings.
"""
import re

KNOWN = {"type", "nullable", "enum", "properties", "required", "additionalProperties", "items",
         "maxItems", "minItems", "maxLength", "minLength", "pattern", "format", "minimum",
         "maximum", "allOf", "$ref", "description", "default", "readOnly", "writeOnly",
         "example", "title"}

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def resolve(doc, schema):
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            raise ValueError("only local $ref: %s" % ref)
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
        schema = node
    return schema


def declared_properties(doc, schema):
    """Property names an object schema declares, allOf branches included."""
    schema = resolve(doc, schema)
    names = set(schema.get("properties", {}))
    for sub in schema.get("allOf", []):
        names |= declared_properties(doc, sub)
    return names


def open_object(doc, schema):
    schema = resolve(doc, schema)
    if "additionalProperties" in schema and schema["additionalProperties"] is not False:
        return True
    return any(open_object(doc, s) for s in schema.get("allOf", []))


def type_ok(t, value):
    if t == "string":
        return isinstance(value, str)
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "boolean":
        return isinstance(value, bool)
    if t == "array":
        return isinstance(value, list)
    if t == "object":
        return isinstance(value, dict)
    raise ValueError("unknown type %r" % t)


def validate(doc, schema, value, path="$", _in_allof=False):
    errs = []
    schema = resolve(doc, schema)
    unknown = set(schema) - KNOWN
    if unknown:
        return ["%s: schema keywords outside the subset: %s" % (path, sorted(unknown))]
    for sub in schema.get("allOf", []):
        errs += validate(doc, sub, value, path, _in_allof=True)
    if value is None:
        if "type" in schema and not schema.get("nullable"):
            return errs + ["%s: null but not nullable" % path]
        if "enum" in schema and None not in schema["enum"]:
            return errs + ["%s: null is not among the enum values %r" % (path, schema["enum"])]
        return errs
    if "type" in schema and not type_ok(schema["type"], value):
        return errs + ["%s: %r is not of type %s" % (path, value, schema["type"])]
    if "enum" in schema and value not in schema["enum"]:
        errs.append("%s: %r not in enum %r" % (path, value, schema["enum"]))
    if isinstance(value, str):
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errs.append("%s: longer than %d" % (path, schema["maxLength"]))
        if "minLength" in schema and len(value) < schema["minLength"]:
            errs.append("%s: shorter than %d" % (path, schema["minLength"]))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errs.append("%s: %r does not match %s" % (path, value, schema["pattern"]))
        fmt = schema.get("format")
        if fmt == "date" and not DATE.match(value):
            errs.append("%s: %r is not a date" % (path, value))
        if fmt == "date-time" and not DATE_TIME.match(value):
            errs.append("%s: %r is not a date-time" % (path, value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errs.append("%s: below %r" % (path, schema["minimum"]))
        if "maximum" in schema and value > schema["maximum"]:
            errs.append("%s: above %r" % (path, schema["maximum"]))
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errs.append("%s: more than %d items" % (path, schema["maxItems"]))
        if "minItems" in schema and len(value) < schema["minItems"]:
            errs.append("%s: fewer than %d items" % (path, schema["minItems"]))
        if "items" in schema:
            for i, v in enumerate(value):
                errs += validate(doc, schema["items"], v, "%s[%d]" % (path, i))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errs.append("%s: required property %r missing" % (path, name))
        for name, v in value.items():
            if name in props:
                errs += validate(doc, props[name], v, "%s.%s" % (path, name))
            elif isinstance(schema.get("additionalProperties"), dict):
                errs += validate(doc, schema["additionalProperties"], v, "%s.%s" % (path, name))
        # undocumented members: checked once, at the schema that owns the
        # object (not in each allOf branch)
        if not _in_allof and ("properties" in schema or "allOf" in schema) \
                and not open_object(doc, schema):
            extra = set(value) - declared_properties(doc, schema)
            if extra:
                errs.append("%s: undocumented properties %s" % (path, sorted(extra)))
    return errs


def operation(doc, path, method):
    item = doc["paths"].get(path)
    if item is None:
        raise AssertionError("path %s not in the document" % path)
    op = item.get(method.lower())
    if op is None:
        raise AssertionError("%s %s not in the document" % (method, path))
    return op


def check_response(doc, path, method, status, body):
    """Errors of a real response (status, parsed JSON body) against the
    operation's documented responses."""
    op = operation(doc, path, method)
    resp = op.get("responses", {}).get(str(status))
    if resp is None:
        return ["%s %s: status %d is not documented" % (method, path, status)]
    resp = resolve(doc, resp)
    content = resp.get("content", {}).get("application/json")
    if content is None:
        return ["%s %s %d: no application/json schema documented" % (method, path, status)]
    return validate(doc, content["schema"], body, "%s %s %d" % (method, path, status))


def check_request(doc, path, method, body, content_type="application/json"):
    """Errors of a request body against the documented request schema."""
    op = operation(doc, path, method)
    content = op.get("requestBody", {}).get("content", {}).get(content_type)
    if content is None:
        return ["%s %s: %s request body not documented" % (method, path, content_type)]
    return validate(doc, content["schema"], body, "%s %s request" % (method, path))
