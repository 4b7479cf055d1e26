"""Words the renderers share: the report's parts; kinds' titles come from the registry."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "title": ("Rapport de validation", "Validation report"),
    "file": ("Fichier", "File"),
    "schema": ("Schéma", "Schema"),
    "detected": ("Détecté", "Detected"),
    "sheet_ignored": (
        "feuille « {sheet} » demandée mais ignorée : un CSV n'a qu'un tableau",
        'sheet "{sheet}" asked for but ignored: a CSV holds one table',
    ),
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
    "span": ("colonnes {first} à {last} ({n} colonnes)", "columns {first} to {last} ({n} columns)"),
    "more": ("… et {n} de plus (limite --max {max})", "… and {n} more (limit --max {max})"),
    "limit": (
        "La limite de {limit} erreurs a été atteinte : le fichier peut en contenir d'autres.",
        "The limit of {limit} errors was reached: the file may hold more.",
    ),
    "no_findings": ("Aucun problème trouvé.", "No problem found."),
    "omitted": (
        "{n} constats de plus ont été comptés mais ne sont pas listés : le rapport en garde "
        "{keep} au plus.",
        "{n} more findings were counted but are not listed: the report keeps at most {keep}.",
    ),
    "per_kind": ("{n} par type", "{n} per kind"),
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
    "unchecked": (
        "Colonnes NON contrôlées (absentes du schéma)",
        "Columns NOT checked (not in the schema)",
    ),
    "resembles": ("ressemble à", "resembles"),
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
    """The title of a finding kind (:mod:`moisinno_data.validation.kinds`)."""
    from moisinno_data.validation import kinds

    return kinds.title(code, lang)
