"""The shapes of the JSON the toolkit reads and writes, for the type checker.

Table Schemas and reports travel as plain dicts (they are JSON, written by people and by
other tools), so these are ``TypedDict``s with ``total=False``: they name the keys we
read and their types without pretending every key is there. What a schema author may get
wrong is checked at run time when the schema is loaded; these types only keep *our* code
honest about which keys it uses.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict


class Constraints(TypedDict, total=False):
    required: bool
    unique: bool
    enum: list[Any]
    pattern: str
    minimum: Any
    maximum: Any
    exclusiveMinimum: Any
    exclusiveMaximum: Any
    minLength: int
    maxLength: int


class FieldDescriptor(TypedDict, total=False):
    name: str
    title: str
    description: str
    example: Any  # any JSON value: the template and the documentation print it
    type: str
    format: str
    constraints: Constraints
    trueValues: list[str]
    falseValues: list[str]
    missingValues: list[str]
    decimalChar: str
    groupChar: str
    bareNumber: bool


class Reference(TypedDict, total=False):
    resource: str
    fields: str | list[str]


class ForeignKey(TypedDict, total=False):
    fields: str | list[str]
    reference: Reference


class CustomCheck(TypedDict, total=False):
    name: str
    params: dict[str, Any]


class Link(TypedDict, total=False):
    """A licence or a source (Data Package style): what the documentation links to."""

    name: str
    title: str
    path: str


class SchemaDescriptor(TypedDict, total=False):
    """A Table Schema with the schema.data.gouv.fr root keys we read."""

    name: str
    title: str
    description: str
    version: str
    created: str
    lastModified: str
    licenses: list[Link]
    sources: list[Link]
    fields: list[FieldDescriptor]
    primaryKey: str | list[str]
    uniqueKeys: list[str | list[str]]
    foreignKeys: list[ForeignKey]
    missingValues: list[str]
    custom_checks: list[CustomCheck]


class FindingDict(TypedDict, total=False):
    """One finding as the JSON report writes it (see docs/rapport-json.md)."""

    code: str
    severity: Literal["error", "warning"]
    row: int | None
    line: int | None
    field: str | None
    column: int | None
    value: str | None
    message: str
    hint: str
    params: dict[str, Any]
