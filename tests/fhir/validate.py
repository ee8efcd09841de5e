"""Validates FHIR resources (JSON files) with the third-party R4B models of
PyPI `fhir.resources`: exit 0 when every file parses, 1 otherwise."""
import importlib
import json
import sys


def model(resource_type):
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    return getattr(module, resource_type)


def main(paths):
    failures = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            resource = json.load(f)
        kind = resource["resourceType"]
        try:
            model(kind).model_validate(resource)
            print(f"valid {kind}: {path}")
        except Exception as error:  # report every invalid file, not only the first
            failures += 1
            print(f"INVALID {kind}: {path}\n{error}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
