"""The page's own words, in French and English.

The findings' messages and hints come from the validation engine, already in the
report's language; only the page's frame (titles, buttons, labels) is written here, so a
steward switching to English sees the whole page in English.
"""

from __future__ import annotations

from moisinno_data.errors import Asker
from moisinno_data.report.labels import kind

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "site_title": "Valider un fichier — Mois de l'innovation publique",
        "brand": "moisinno-data · validation",
        "skip": "Aller au contenu",
        "switch_label": "English",
        "switch_lang": "en",
        "intro": "Déposez le fichier d'un contributeur (CSV, XLSX ou ODS) : la page dit s'il "
        "respecte le schéma de sa table et, sinon, quoi corriger, ligne par ligne.",
        "privacy": "Tout reste sur cet ordinateur : le fichier est lu par le serveur local et "
        "n'est envoyé nulle part ; il est gardé en mémoire (une copie temporaire, effacée "
        "aussitôt, le temps de chaque lecture) et oublié au bout de {ttl} minutes.",
        "file_label": "Fichier à valider",
        "file_help": "CSV (séparateur ; , tabulation ou |, en UTF-8 ou Windows-1252), XLSX ou "
        "ODS. Taille maximale : {limit}.",
        "drop_here": "ou glissez-déposez le fichier ici",
        "schema_label": "Table",
        "schema_auto": "Détecter d'après l'en-tête",
        "sheet_label": "Feuille (XLSX, ODS ; facultatif)",
        "sheet_help": "Par défaut la première feuille visible.",
        "lang_label": "Langue du rapport",
        "submit": "Valider le fichier",
        "busy": "Validation en cours…",
        "templates_title": "Modèles Excel",
        "templates_intro": "Un modèle par table, à envoyer aux contributeurs : en-têtes, "
        "descriptions, listes déroulantes.",
        "api_title": "API",
        "api_intro": "Pour un script : POST /api/validate (champ « file », « schema » facultatif, "
        "« lang ») renvoie le rapport JSON de moisinno validate.",
        "api_doc": "description OpenAPI",
        "report_title": "Rapport de validation",
        "valid": "Fichier valide",
        "valid_warnings": "Fichier valide, avec des avertissements",
        "invalid": "Fichier non valide",
        "summary": "Résumé",
        "file": "Fichier",
        "table": "Table",
        "detected_by_header": "détectée d'après l'en-tête",
        "detected_by_option": "choisie",
        "read_as": "Lu comme",
        "encoding": "encodage",
        "delimiter": "séparateur",
        "sheet": "feuille",
        "header_mapping": "En-têtes reconnus",
        "rows": "Lignes de données",
        "errors": "Erreurs",
        "warnings": "Avertissements",
        "limit_reached": "La limite de {limit} constats a été atteinte : le fichier peut en "
        "contenir d'autres.",
        "downloads": "Télécharger",
        "dl_html": "Rapport HTML (à envoyer au contributeur)",
        "dl_json": "Rapport JSON",
        "dl_fixed": "Fichier corrigé (CSV UTF-8, forme canonique)",
        "dl_changes": "Liste des corrections appliquées (CSV)",
        "dl_template": "Modèle Excel de la table",
        "findings": "Constats par type",
        "no_findings": "Aucun constat : le fichier respecte le schéma.",
        "count_one": "{n} constat",
        "count_many": "{n} constats",
        "more": "… et {n} autres, dans les rapports HTML et JSON.",
        "col_line": "Ligne",
        "col_column": "Colonne",
        "col_value": "Valeur",
        "col_message": "Problème",
        "col_hint": "Comment corriger",
        "severity_error": "erreur",
        "severity_warning": "avertissement",
        "rows_title": "Lignes en cause",
        "rows_intro": "Les cellules en cause sont surlignées (rouge : erreur, orange : "
        "avertissement).",
        "rows_more": "Seules les {n} premières lignes en cause sont montrées.",
        "rows_unavailable": "Les lignes ne peuvent pas être relues : {reason}",
        "new_file": "Valider un autre fichier",
        "forget": "Oublier ce fichier maintenant",
        "n_errors": "{n} erreurs",
        "n_errors_one": "{n} erreur",
        "n_warnings": "{n} avertissements",
        "n_warnings_one": "{n} avertissement",
        "status_label": "Résultat",
        "kinds_nav": "Types de constats",
        "column_n": "colonne {letter}",
        "empty_cell": "(vide)",
        "expired_title": "Rapport expiré",
        "expired": "Ce rapport n'est plus en mémoire (le serveur l'oublie au bout de {ttl} "
        "minutes ou quand il redémarre). Déposez le fichier à nouveau.",
        "error_title": "Le fichier n'a pas pu être validé",
        "too_large_title": "Fichier trop volumineux",
        "too_large": "Le fichier dépasse la taille maximale acceptée par ce serveur ({limit}). "
        "Découpez-le en plusieurs fichiers, ou relancez le serveur avec une limite plus "
        "haute : moisinno serve --max-upload-mb 200.",
        "not_found_title": "Page introuvable",
        "not_found": "Cette adresse ne correspond à aucune page.",
        "internal_title": "Erreur interne",
        "internal": "Une erreur inattendue s'est produite ({kind}). Elle vient de l'outil, "
        "pas de votre fichier : signalez-la aux mainteneurs avec le fichier si possible.",
        "back": "Retour à la page de dépôt",
        "refused_title": "Requête refusée",
        "foreign_host": "Cette page ne répond pas sous ce nom : ouvrez-la à l'adresse affichée par moisinno serve (ou ajoutez ce nom à MOISINNO_ALLOWED_HOSTS "
        "derrière un proxy).",
        "method_not_allowed": "Cette adresse ne s'utilise pas ainsi (méthodes permises : {allow}).",
        "slow_title": "Envoi trop lent",
        "slow": "Le fichier est arrivé trop lentement et l'envoi a été interrompu. Vérifiez la "
        "connexion et déposez-le à nouveau.",
        "foreign": "Cette page n'accepte que les envois faits depuis elle-même : ouvrez-la "
        "directement et déposez le fichier à nouveau.",
        "busy_title": "Serveur occupé",
        "busy_client": "Vous avez déjà plusieurs envois en cours : attendez qu'ils se terminent, "
        "puis réessayez.",
        "omitted": "Le rapport garde les {limit} premiers constats de chaque type ; {n} autres "
        "n'ont pas été gardés (voir « omitted » dans le rapport JSON).",
        "footer": "moisinno-data {version} · même moteur et mêmes messages que la commande "
        "moisinno validate",
    },
    "en": {
        "site_title": "Validate a file — Public Innovation Month",
        "brand": "moisinno-data · validation",
        "skip": "Skip to content",
        "switch_label": "Français",
        "switch_lang": "fr",
        "intro": "Drop a contributor's file (CSV, XLSX or ODS): the page tells whether it "
        "follows its table's schema and, if not, what to fix, row by row.",
        "privacy": "Everything stays on this computer: the file is read by the local server "
        "and sent nowhere; it is kept in memory (a temporary copy, deleted at once, while "
        "each read lasts) and forgotten after {ttl} minutes.",
        "file_label": "File to validate",
        "file_help": "CSV (any of ; , tab |, UTF-8 or Windows-1252), XLSX or ODS. "
        "Maximum size: {limit}.",
        "drop_here": "or drag and drop the file here",
        "schema_label": "Table",
        "schema_auto": "Detect from the header",
        "sheet_label": "Sheet (XLSX, ODS; optional)",
        "sheet_help": "The first visible sheet by default.",
        "lang_label": "Report language",
        "submit": "Validate the file",
        "busy": "Validating…",
        "templates_title": "Excel templates",
        "templates_intro": "One template per table, to send to contributors: headers, "
        "descriptions, drop-down lists.",
        "api_title": "API",
        "api_intro": "For scripts: POST /api/validate (field “file”, optional “schema”, “lang”) "
        "returns the JSON report of moisinno validate.",
        "api_doc": "OpenAPI description",
        "report_title": "Validation report",
        "valid": "Valid file",
        "valid_warnings": "Valid file, with warnings",
        "invalid": "Invalid file",
        "summary": "Summary",
        "file": "File",
        "table": "Table",
        "detected_by_header": "detected from the header",
        "detected_by_option": "chosen",
        "read_as": "Read as",
        "encoding": "encoding",
        "delimiter": "delimiter",
        "sheet": "sheet",
        "header_mapping": "Recognised headers",
        "rows": "Data rows",
        "errors": "Errors",
        "warnings": "Warnings",
        "limit_reached": "The limit of {limit} findings was reached: the file may hold more.",
        "downloads": "Download",
        "dl_html": "HTML report (to send to the contributor)",
        "dl_json": "JSON report",
        "dl_fixed": "Fixed file (UTF-8 CSV, canonical form)",
        "dl_changes": "List of the changes made (CSV)",
        "dl_template": "Excel template of the table",
        "findings": "Findings by kind",
        "no_findings": "No findings: the file follows the schema.",
        "count_one": "{n} finding",
        "count_many": "{n} findings",
        "more": "… and {n} more, in the HTML and JSON reports.",
        "col_line": "Row",
        "col_column": "Column",
        "col_value": "Value",
        "col_message": "Problem",
        "col_hint": "How to fix",
        "severity_error": "error",
        "severity_warning": "warning",
        "rows_title": "Rows concerned",
        "rows_intro": "Cells concerned are highlighted (red: error, orange: warning).",
        "rows_more": "Only the first {n} rows concerned are shown.",
        "rows_unavailable": "The rows cannot be read again: {reason}",
        "new_file": "Validate another file",
        "forget": "Forget this file now",
        "n_errors": "{n} errors",
        "n_errors_one": "{n} error",
        "n_warnings": "{n} warnings",
        "n_warnings_one": "{n} warning",
        "status_label": "Result",
        "kinds_nav": "Kinds of findings",
        "column_n": "column {letter}",
        "empty_cell": "(empty)",
        "expired_title": "Report expired",
        "expired": "This report is no longer in memory (the server forgets it after {ttl} "
        "minutes or when it restarts). Please drop the file again.",
        "error_title": "The file could not be validated",
        "too_large_title": "File too large",
        "too_large": "The file exceeds the maximum size this server accepts ({limit}). "
        "Split it into several files, or restart the server with a higher limit: "
        "moisinno serve --max-upload-mb 200.",
        "not_found_title": "Page not found",
        "not_found": "No page lives at this address.",
        "internal_title": "Internal error",
        "internal": "An unexpected error occurred ({kind}). It comes from the tool, not from "
        "your file: please report it to the maintainers, with the file if you can.",
        "back": "Back to the upload page",
        "refused_title": "Request refused",
        "foreign_host": "This page does not answer under this name: open it at the "
        "address moisinno serve shows (or add this name to MOISINNO_ALLOWED_HOSTS behind a "
        "proxy).",
        "method_not_allowed": "This address is not used this way (allowed methods: {allow}).",
        "slow_title": "Upload too slow",
        "slow": "The file arrived too slowly and the upload was stopped. Check the connection "
        "and drop the file again.",
        "foreign": "This page only accepts uploads made from itself: open it directly and drop "
        "the file again.",
        "busy_title": "Server busy",
        "busy_client": "You already have several uploads under way: wait for them to finish, "
        "then try again.",
        "omitted": "The report keeps the first {limit} findings of each kind; {n} others were "
        "not kept (see “omitted” in the JSON report).",
        "footer": "moisinno-data {version} · same engine and messages as the moisinno validate "
        "command",
    },
}


PAGE = Asker(
    schema=(
        "choisissez la table dans le champ « Table » de la page",
        "choose the table in the page's “Table” field",
    ),
    sheet=(
        "choisissez-la dans le champ « Feuille » de la page",
        "choose it in the page's “Sheet” field",
    ),
)
"""How the page's sentences say to choose: its fields (labels above), not the command's
options — a steward at a browser has no ``--sheet``."""

API = Asker(
    schema=(
        "précisez la table avec le champ « schema » de la requête",
        "name the table with the request's “schema” field",
    ),
    sheet=(
        "choisissez-la avec le champ « sheet » de la requête",
        "choose it with the request's “sheet” field",
    ),
)
"""The same for a script calling ``POST /api/validate``: its form fields."""


def delimiter_name(delimiter: str, lang: str) -> str:
    """« , » means little to a steward; « virgule » does (names from the report's labels)."""
    from moisinno_data.report.labels import DELIMITERS

    names = DELIMITERS.get(delimiter)
    name = (names[1] if pick_lang(lang) == "en" else names[0]) if names else None
    if not name or delimiter == "\t":
        return name or delimiter
    return f"{name} « {delimiter} »" if pick_lang(lang) == "fr" else f"{name} “{delimiter}”"


def pick_lang(value: str | None) -> str:
    """The requested language when we speak it, French otherwise."""
    value = (value or "").strip().lower()[:2]
    return value if value in LANGS else DEFAULT_LANG


def texts(lang: str) -> dict[str, str]:
    return TEXTS[pick_lang(lang)]


def kind_title(code: str, lang: str) -> str:
    """The title the text and HTML reports give this kind, so every output says the same."""
    return kind(code, pick_lang(lang))


def human_size(n_bytes: int, lang: str = "fr") -> str:
    """50 Mo / 50 MB — the limit as a steward reads it."""
    unit = "Mo" if pick_lang(lang) == "fr" else "MB"
    small = "ko" if pick_lang(lang) == "fr" else "kB"
    if n_bytes >= 1024 * 1024:
        value = n_bytes / (1024 * 1024)
        text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
        suffix = unit
    else:
        value = n_bytes / 1024
        text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
        suffix = small
    if pick_lang(lang) == "fr":
        text = text.replace(".", ",")
    return f"{text} {suffix}"
