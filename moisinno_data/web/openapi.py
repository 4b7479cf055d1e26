"""The OpenAPI description of the JSON API, kept by hand beside the code it describes.

Starlette does not derive request bodies from handlers, so a hand-kept document is
clearer than docstring YAML. The report's shape is the stable JSON report of
``moisinno validate --format json`` (see ``moisinno_data/validation/report.py``); a test
checks that a real answer has every key this document promises.
"""

from __future__ import annotations

from typing import Any

from moisinno_data.__about__ import __version__

FINDING = {
    "type": "object",
    "required": ["code", "severity", "row", "field", "value", "message", "hint"],
    "properties": {
        "code": {
            "type": "string",
            "description": "type d'erreur frictionless (type-error, constraint-error, "
            "unique-error, primary-key, foreign-key, missing-cell…) ou règle métier "
            "(siret-checksum, cog-mismatch…)",
        },
        "severity": {"type": "string", "enum": ["error", "warning"]},
        "row": {
            "type": ["integer", "null"],
            "description": "ligne telle qu'un tableur l'affiche (en-tête = 1)",
        },
        "field": {"type": ["string", "null"], "description": "nom de la colonne"},
        "column": {"type": ["integer", "null"], "description": "position (A = 1)"},
        "value": {"type": ["string", "null"]},
        "message": {"type": "string", "description": "le problème, dans la langue demandée"},
        "hint": {"type": "string", "description": "comment corriger"},
        "params": {"type": "object"},
        "line": {"type": ["integer", "null"]},
    },
}

REPORT = {
    "type": "object",
    "required": ["valid", "file", "schema", "detected", "stats", "errors", "warnings"],
    "properties": {
        "format_version": {"type": "string"},
        "valid": {
            "type": "boolean",
            "description": "vrai si aucune erreur (avertissements permis)",
        },
        "file": {"type": "string", "description": "nom du fichier envoyé"},
        "schema": {
            "type": "object",
            "description": "table retenue : name, title, version, detected_by (option | header), table (la table du paquet)",
        },
        "detected": {
            "type": "object",
            "description": "format, encoding, delimiter, sheet, sheet_ignored, header_mapping",
        },
        "stats": {
            "type": "object",
            "properties": {
                "rows": {"type": "integer"},
                "errors": {"type": "integer"},
                "warnings": {"type": "integer"},
            },
        },
        "lang": {"type": "string", "enum": ["fr", "en"]},
        "limit": {"type": ["integer", "null"]},
        "limit_reached": {"type": "boolean"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        "omitted": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "severity": {"type": "string"},
                    "code": {"type": "string"},
                    "count": {"type": "integer"},
                },
            },
            "description": "constats comptés mais non listés, par sorte : le serveur garde "
            "les premiers de chaque sorte (1 000 par défaut) ; stats compte tous les constats",
        },
    },
}

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {
            "type": "string",
            "enum": [
                "bad-request",
                "not-found",
                "method-not-allowed",
                "unreadable",
                "too-large",
                "forbidden",
                "too-slow",
                "busy",
                "internal",
            ],
        },
        "message": {
            "type": "string",
            "description": "phrase pour l'utilisateur, en français ou en anglais selon lang "
            "(le champ du formulaire, ou ?lang= pour un refus donné avant sa lecture)",
        },
        "limit_bytes": {"type": "integer"},
        "kind": {"type": "string", "description": "erreur interne : le type de l'exception"},
    },
}


def _request_body(limit_bytes: int, tables: list[str]) -> dict[str, Any]:
    """The multipart form of POST /api/validate."""
    return {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "le fichier (CSV, XLSX, ODS), "
                            f"{limit_bytes} octets au plus",
                        },
                        "schema": {
                            "type": "string",
                            "enum": ["", *tables],
                            "description": "table ; vide : détectée d'après l'en-tête",
                        },
                        "lang": {
                            "type": "string",
                            "enum": ["fr", "en"],
                            "default": "fr",
                        },
                        "sheet": {
                            "type": "string",
                            "description": "feuille (XLSX, ODS)",
                        },
                    },
                }
            }
        },
    }


def openapi_document(limit_bytes: int, tables: list[str]) -> dict[str, Any]:
    def error(description: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "moisinno-data — API de validation",
            "version": __version__,
            "description": "Valide un fichier contribué (CSV, XLSX, ODS) avec le même moteur "
            "et les mêmes messages que `moisinno validate`. Le serveur tourne en local ; "
            "le fichier n'est jamais écrit sur le disque.",
        },
        "paths": {
            "/api/validate": {
                "post": {
                    "summary": "Valider un fichier",
                    "operationId": "validate",
                    "requestBody": _request_body(limit_bytes, tables),
                    "responses": {
                        "200": {
                            "description": "le rapport JSON (valide ou non : voir `valid`)",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Report"}
                                }
                            },
                        },
                        "400": error("requête sans fichier ou mal formée"),
                        "403": error("envoi fait par une autre page web (en-tête Origin)"),
                        "408": error("fichier envoyé trop lentement"),
                        "413": error("fichier trop volumineux (annoncé ou reçu)"),
                        "422": error("fichier illisible ou table inconnue"),
                        "429": error("trop d'envois en cours pour ce client"),
                        "500": error("erreur interne de l'outil (à signaler)"),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "Ce document",
                    "operationId": "openapi",
                    "responses": {"200": {"description": "la description OpenAPI"}},
                }
            },
        },
        "components": {"schemas": {"Report": REPORT, "Finding": FINDING, "Error": ERROR}},
    }
