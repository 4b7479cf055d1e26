"""Words the renderers share: titles of the kinds of findings and of the report's parts."""

from __future__ import annotations

KINDS: dict[str, tuple[str, str]] = {
    "type-error": ("Valeur du mauvais type", "Value of the wrong type"),
    "constraint-error": ("Contrainte non respectée", "Constraint not met"),
    "unique-error": ("Valeur en double", "Duplicate value"),
    "primary-key": ("Clé primaire vide ou en double", "Empty or duplicate primary key"),
    "foreign-key": ("Référence introuvable", "Reference not found"),
    "missing-cell": ("Cellule manquante", "Missing cell"),
    "extra-cell": ("Cellule en trop", "Extra cell"),
    "blank-row": ("Ligne vide", "Blank row"),
    "missing-label": ("Colonne absente", "Missing column"),
    "extra-label": ("Colonne inconnue", "Unknown column"),
    "blank-label": ("Colonne sans nom", "Unnamed column"),
    "duplicate-label": ("Colonne en double", "Duplicate column"),
    "incorrect-label": ("Nom de colonne différent", "Different column name"),
    "column-order": ("Ordre des colonnes", "Column order"),
    "foreign-key-unavailable": ("Table de référence introuvable", "Reference table not found"),
    "siret-checksum": ("Clé de contrôle SIRET/SIREN fausse", "Wrong SIRET/SIREN check digit"),
    "siret-format": ("SIRET/SIREN mal formé", "Malformed SIRET/SIREN"),
    "cog-unknown": ("Code géographique inconnu", "Unknown geographic code"),
    "cog-mismatch": ("Codes géographiques incohérents", "Inconsistent geographic codes"),
    "coordinates-outside-france": ("Coordonnées hors de France", "Coordinates outside France"),
    "end-before-start": ("Fin avant le début", "End before start"),
    "date-outside-edition": ("Date hors de l'édition", "Date outside the edition"),
    "formula-injection": ("Formule de tableur", "Spreadsheet formula"),
    "unknown-check": ("Contrôle inconnu", "Unknown check"),
}

WORDS: dict[str, tuple[str, str]] = {
    "title": ("Rapport de validation", "Validation report"),
    "file": ("Fichier", "File"),
    "schema": ("Schéma", "Schema"),
    "detected": ("Détecté", "Detected"),
    "rows": ("Lignes de données", "Data rows"),
    "errors": ("Erreurs", "Errors"),
    "warnings": ("Avertissements", "Warnings"),
    "error": ("erreur", "error"),
    "warning": ("avertissement", "warning"),
    "valid": ("VALIDE", "VALID"),
    "invalid": ("INVALIDE", "INVALID"),
    "line": ("ligne", "line"),
    "Line": ("Ligne", "Line"),
    "column": ("colonne", "column"),
    "Column": ("Colonne", "Column"),
    "value": ("valeur", "value"),
    "Value": ("Valeur", "Value"),
    "Message": ("Message", "Message"),
    "Hint": ("Conseil", "Hint"),
    "more": ("… et {n} de plus (limite --max {max})", "… and {n} more (limit --max {max})"),
    "limit": (
        "La limite de {limit} erreurs a été atteinte : le fichier peut en contenir d'autres.",
        "The limit of {limit} errors was reached: the file may hold more.",
    ),
    "no_findings": ("Aucun problème trouvé.", "No problem found."),
    "rows_title": ("Lignes concernées", "Rows concerned"),
    "rows_note": (
        "Les cellules en cause sont surlignées (rouge : erreur, jaune : avertissement).",
        "The cells concerned are highlighted (red: error, yellow: warning).",
    ),
    "rows_missing": (
        "Le contenu des lignes n'est pas disponible dans ce rapport.",
        "The rows' content is not available in this report.",
    ),
    "rows_cap": (
        "{n} lignes affichées sur {total}.",
        "{n} rows shown out of {total}.",
    ),
    "mapping": ("Colonnes renommées", "Renamed columns"),
    "by_option": ("choisi par l'option --schema", "chosen with --schema"),
    "by_header": ("reconnu d'après l'en-tête", "recognised from the header"),
    "encoding": ("encodage", "encoding"),
    "delimiter": ("séparateur", "delimiter"),
    "sheet": ("feuille", "sheet"),
    "format": ("format", "format"),
    "summary": ("Résumé", "Summary"),
    "generated": ("Produit par moisinno-data {version}", "Produced by moisinno-data {version}"),
    "file_level": ("fichier", "file"),
}

DELIMITERS: dict[str, tuple[str, str]] = {
    ",": ("virgule", "comma"),
    ";": ("point-virgule", "semicolon"),
    "\t": ("tabulation", "tab"),
    "|": ("barre verticale", "pipe"),
}


def word(key: str, lang: str, **values: object) -> str:
    fr, en = WORDS[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


def kind(code: str, lang: str) -> str:
    fr, en = KINDS.get(code, (code, code))
    return en if lang == "en" else fr


def column_letter(position: int | None) -> str:
    """1 → A, 27 → AA: the column name a spreadsheet shows."""
    if not position or position < 1:
        return ""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
