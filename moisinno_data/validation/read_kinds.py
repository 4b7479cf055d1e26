"""Kinds of the findings about a file's bytes, noted by the reader (:mod:`moisinno_data.reading`)
and turned into findings by the engine: lines not in the file's encoding, control and
lost characters in cells, cells too long for a spreadsheet, numbers a spreadsheet stored in
text fields or wrote there in scientific notation; date-times without offset that the
Paris clocks skip or repeat (a spreadsheet keeps no offset); a workbook's other sheets
holding the table too (:mod:`.other_sheets`), which are not read; and its rows and columns
hidden or filtered out (:mod:`moisinno_data.reading.hidden`), which are."""

from __future__ import annotations

from moisinno_data.package import paris
from moisinno_data.package.french import (
    DIGITS_LOST,
    PERCENT_CELL,
    PERCENT_CELL_HINT,
    SCIENTIFIC_HINT,
    SCIENTIFIC_LOST,
    SPACES,
    UNUSUAL_DIGITS,
    UNUSUAL_DIGITS_HINT,
    digits_past_precision,
    percent_shown,
    plain_digits_in,
)
from moisinno_data.reading.hidden import HiddenCells
from moisinno_data.reading.sniff import EIGHT_BIT_NAME
from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.other_sheets import UnreadSheets
from moisinno_data.validation.report import Finding


def _place(f: Finding, lang: str) -> str:
    where = column_phrase(f, lang) or t(lang, f"la colonne {f.column}", f"column {f.column}")
    if f.row == 1:
        return t(lang, f"l'en-tête de {where}", f"the header of {where}")
    return where


def _encoding(f: Finding, lang: str) -> str:
    params = f.params or {}
    lines = ", ".join(str(n) for n in (params.get("lines") or [])[:20])
    count = params.get("count", 0)
    more = t(lang, f" (et {count - 20} autres)", f" (and {count - 20} more)") if count > 20 else ""
    return t(
        lang,
        f"{count} ligne(s) ne sont pas en UTF-8 comme le reste du fichier : {lines}{more} ; "
        f"leurs octets ont été lus comme du {EIGHT_BIT_NAME}.",
        f"{count} line(s) are not UTF-8 like the rest of the file: {lines}{more}; their bytes "
        f"were read as {EIGHT_BIT_NAME}.",
    )


def _control(f: Finding, lang: str) -> str:
    char = (f.params or {}).get("char") or "?"
    return t(
        lang,
        f"Caractère de contrôle invisible {char} dans {_place(f, lang)} : {quote(f.value, lang)}.",
        f"Invisible control character {char} in {_place(f, lang)}: {quote(f.value, lang)}.",
    )


def _replacement(f: Finding, lang: str) -> str:
    return t(
        lang,
        f"Caractère illisible (\ufffd) dans {_place(f, lang)}, probablement un accent perdu : "
        f"{quote(f.value, lang)}.",
        f"Unreadable character (\ufffd) in {_place(f, lang)}, probably a lost accent: "
        f"{quote(f.value, lang)}.",
    )


def _too_long(f: Finding, lang: str) -> str:
    length = (f.params or {}).get("length", "?")
    return t(
        lang,
        f"La cellule de {_place(f, lang)} fait {length} caractères, au-delà des 32 767 "
        "qu'un tableur garde.",
        f"The cell in {_place(f, lang)} is {length} characters long, beyond the 32,767 a "
        "spreadsheet keeps.",
    )


def _number(f: Finding, lang: str) -> str:
    digits = digits_past_precision(f.value or "")
    if digits is not None:
        said = t(lang, *DIGITS_LOST).format(value=f.value, n=digits)
        return t(lang, f"Dans {_place(f, lang)}, {said}.", f"In {_place(f, lang)}, {said}.")
    return t(
        lang,
        f"Dans {_place(f, lang)}, le tableur a enregistré {quote(f.value, lang)} comme un "
        "nombre, pas comme du texte : un code ou un numéro de téléphone y perd ses zéros "
        "initiaux.",
        f"In {_place(f, lang)}, the spreadsheet stored {quote(f.value, lang)} as a number, not "
        "as text: a code or a phone number loses its leading zeros there.",
    )


def _percent_cell(f: Finding, lang: str) -> str:
    value = f.value or "0"
    said = t(lang, *PERCENT_CELL).format(value=value, shown=percent_shown(value))
    return t(lang, f"Dans {_place(f, lang)}, {said}.", f"In {_place(f, lang)}, {said}.")


def _percent_cell_hint(f: Finding, lang: str) -> str:
    value = f.value or "0"
    return t(lang, *PERCENT_CELL_HINT).format(value=value, shown=percent_shown(value))


def _unclosed_quote(f: Finding, lang: str) -> str:
    lines = (f.params or {}).get("lines", "?")
    where = f.field or f"{f.column}"
    return t(
        lang,
        f"Un guillemet ouvert dans la colonne {where} n'est jamais refermé : les {lines} "
        "ligne(s) suivantes du fichier, jusqu'à sa fin, sont lues comme le texte de cette "
        "seule cellule, et leurs lignes ne sont pas contrôlées.",
        f"A quote opened in column {where} is never closed: the {lines} following line(s) "
        "of the file, to its end, are read as this one cell's text, and their rows are not "
        "checked.",
    )


def _merged(f: Finding, lang: str) -> str:
    ref = str((f.params or {}).get("ref") or f.value or "?")
    first = ref.split(":")[0]
    return t(
        lang,
        f"Les cellules {ref} sont fusionnées : dans le fichier, seule la première ({first}) "
        "porte la valeur, les autres sont lues vides.",
        f"Cells {ref} are merged: in the file, only the first ({first}) holds the value, the "
        "others read empty.",
    )


def _hidden(f: Finding, lang: str) -> str:
    said = HiddenCells.of(f.params).message(lang)
    return said[:1].upper() + said[1:] + "."


def _scientific(f: Finding, lang: str) -> str:
    fr, en = SCIENTIFIC_LOST
    said = t(lang, fr, en).format(value=f.value or "")
    return t(lang, f"Dans {_place(f, lang)}, {said}.", f"In {_place(f, lang)}, {said}.")


def _unusual_digits(f: Finding, lang: str) -> str:
    value = f.value or ""
    plain = plain_digits_in(value, (f.params or {}).get("type")) or value
    said = t(lang, *UNUSUAL_DIGITS).format(value=value, plain=plain)
    return t(lang, f"Dans {_place(f, lang)}, {said}.", f"In {_place(f, lang)}, {said}.")


def _unusual_digits_hint(f: Finding, lang: str) -> str:
    """The number in plain digits; a year that would not keep its four digits (``2_24``,
    read 224) is not proposed: the person says which year it is."""
    plain = plain_digits_in(f.value or "", (f.params or {}).get("type")) or f.value or ""
    if (f.params or {}).get("type") == "year" and len(plain) != 4:
        return t(
            lang,
            "vérifiez l'année et écrivez-la sur quatre chiffres 0 à 9 (2024)",
            "check the year and write it as four digits 0 to 9 (2024)",
        )
    return t(lang, *UNUSUAL_DIGITS_HINT).format(plain=plain)


def _clock(what: tuple[str, str]):
    """The sentence of a date-time that the Paris clocks skip or repeat (``what``)."""

    def message(f: Finding, lang: str) -> str:
        said = t(lang, *what).format(value=f.value or "")
        return t(lang, f"Dans {_place(f, lang)}, {said}.", f"In {_place(f, lang)}, {said}.")

    return message


def _clock_hint(f: Finding, lang: str) -> str:
    fmt = str((f.params or {}).get("format") or "default")
    return t(lang, *paris.hint(f.value or "AAAA-MM-JJTHH:MM:SS", fmt))


def _partial_date(f: Finding, lang: str) -> str:
    value = quote(f.value, lang)
    return t(
        lang,
        f"Dans {_place(f, lang)}, {value} ne dit pas le jour entier (jour, mois et année) : "
        "frictionless complète ce qui manque par la date du jour où il lit, si bien que la "
        "valeur lue change d'un jour à l'autre, et le chargement (moisinno_data.load) la "
        "laisse vide.",
        f"In {_place(f, lang)}, {value} does not write its whole day (day, month and year): "
        "frictionless fills in what is missing from the day it reads it, so the value read "
        "changes from one day to the next, and loading (moisinno_data.load) leaves it empty.",
    )


def _end_of_day(f: Finding, lang: str) -> str:
    value = f.value or ""
    said = t(lang, *paris.END_OF_DAY_SAID).format(value=value, next=paris.next_midnight(value))
    return t(lang, f"Dans {_place(f, lang)}, {said}.", f"In {_place(f, lang)}, {said}.")


def _end_of_day_hint(f: Finding, lang: str) -> str:
    return t(lang, *paris.END_OF_DAY_HINT).format(next=paris.next_midnight(f.value or ""))


def _boolean(f: Finding, lang: str) -> str:
    return t(
        lang,
        f"Dans {_place(f, lang)}, le tableur a enregistré une valeur logique (VRAI ou FAUX, "
        f"TRUE ou FALSE), lue {quote(f.value, lang)}, pas le texte tel qu'il s'affiche.",
        f"In {_place(f, lang)}, the spreadsheet stored a boolean (TRUE or FALSE, VRAI or "
        f"FAUX), read as {quote(f.value, lang)}, not the text as it is shown.",
    )


def _spaces(f: Finding, lang: str) -> str:
    return t(
        lang,
        f"Dans {_place(f, lang)}, obligatoire, la cellule ne contient que des espaces : "
        "frictionless la compte remplie, mais « moisinno fix » et la consolidation la "
        "lisent vide, et la ligne serait refusée.",
        f"In {_place(f, lang)}, required, the cell holds only spaces: frictionless counts "
        'it filled, but "moisinno fix" and consolidation read it empty, and the row would '
        "be refused.",
    )


def _padded_year(f: Finding, lang: str) -> str:
    year = (f.value or "").strip(SPACES)
    return t(
        lang,
        f"Dans {_place(f, lang)}, l'année « {f.value} » n'a quatre caractères que par ses "
        f"espaces : frictionless la lit {year}, mais la consolidation retire les espaces et "
        f"refuse « {year} », qui n'est pas une année sur quatre chiffres (la ligne serait "
        "refusée ; « moisinno fix » la laisse telle quelle et la liste à vérifier).",
        f'In {_place(f, lang)}, the year "{f.value}" is four characters long only with its '
        f"spaces: frictionless reads it as {year}, but consolidation removes the spaces and "
        f'refuses "{year}", which is not a four-digit year (the row would be refused; '
        '"moisinno fix" leaves it as it is and lists it to check).',
    )


def _date(f: Finding, lang: str) -> str:
    value = f.value or ""
    if (f.params or {}).get("duration"):
        return _duration(f, lang)
    if "T" in value:
        fr, en = "une date et heure", "a date and time"
        fr_form, en_form = "AAAA-MM-JJThh:mm:ss", "YYYY-MM-DDThh:mm:ss"
    elif ":" in value:
        fr, en, fr_form, en_form = "une heure", "a time", "hh:mm:ss", "hh:mm:ss"
    else:
        fr, en, fr_form, en_form = "une date", "a date", "AAAA-MM-JJ", "YYYY-MM-DD"
    return t(
        lang,
        f"Dans {_place(f, lang)}, le tableur a enregistré {fr}, lue {quote(value, lang)} "
        f"({fr_form}), pas le texte tel qu'il s'affiche.",
        f"In {_place(f, lang)}, the spreadsheet stored {en}, read as {quote(value, lang)} "
        f"({en_form}), not the text as it is shown.",
    )


def _duration(f: Finding, lang: str) -> str:
    """A duration whose shown form the file does not give (:class:`..reading.cells.
    DurationText`): not a time of day, so not worded as one."""
    return t(
        lang,
        f"Dans {_place(f, lang)}, le tableur a enregistré une durée, lue "
        f"{quote(f.value or '', lang)} ([h]:mm:ss) : le fichier ne dit pas comment elle "
        "s'affiche (fichier .xls, format propre, partie cachée par le format).",
        f"In {_place(f, lang)}, the spreadsheet stored a duration, read as "
        f"{quote(f.value or '', lang)} ([h]:mm:ss): the file does not say how it is shown "
        "(an .xls file, a format of its own, a part the format hides).",
    )


def _formula_error(f: Finding, lang: str) -> str:
    if not f.value:
        said = t(
            lang,
            f"Dans {_place(f, lang)}, la cellule tient une formule enregistrée sans sa valeur "
            "calculée (par un programme qui ne calcule pas les formules) : elle est lue vide.",
            f"In {_place(f, lang)}, the cell holds a formula saved without its computed value "
            "(by a program that does not compute formulas): it is read as empty.",
        )
    else:
        said = t(
            lang,
            f"Dans {_place(f, lang)}, le tableur affiche {quote(f.value, lang)} : une formule "
            "qu'il n'a pas pu calculer, pas une valeur.",
            f"In {_place(f, lang)}, the spreadsheet shows {quote(f.value, lang)}: a formula it "
            "could not compute, not a value.",
        )
    # consolidate refuses such a row, whatever the schema: it has no value to publish
    return said + t(
        lang,
        " La consolidation refuse la ligne tant qu'elle y est.",
        " Consolidation refuses the row as long as it is there.",
    )


def _formula_error_hint(f: Finding, lang: str) -> str:
    if not f.value:
        return t(
            lang,
            "ouvrez le fichier dans le tableur et enregistrez-le (il calcule alors les "
            "formules), ou tapez la valeur elle-même",
            "open the file in the spreadsheet and save it (it then computes the formulas), "
            "or type the value itself",
        )
    return t(
        lang,
        "corrigez la formule ou les cellules qu'elle utilise, ou tapez la valeur elle-même",
        "fix the formula or the cells it uses, or type the value itself",
    )


def _separator_line(f: Finding, lang: str) -> str:
    said = f"sep={(f.params or {}).get('separator', '?')}"
    return t(
        lang,
        f"La première ligne, « {said} », est une consigne pour Excel, qui la cache : elle a "
        "été sautée, comme Excel le fait, et les numéros de ligne de ce rapport sont ceux du "
        "tableur (l'en-tête en ligne 1). D'autres outils, dont les validateurs de "
        "schema.data.gouv.fr, la lisent comme l'en-tête.",
        f'The first line, "{said}", is an instruction for Excel, which hides it: it was '
        "skipped, as Excel does, and this report's row numbers are the spreadsheet's (the "
        "header on row 1). Other tools, schema.data.gouv.fr's validators among them, read "
        "it as the header.",
    )


KINDS: tuple[Kind, ...] = (
    Kind(
        "encoding-error", "error", ("Lignes mal encodées", "Lines in the wrong encoding"),
        _encoding,
        (
            "réenregistrez le fichier en UTF-8 (Excel : « CSV UTF-8 » ; LibreOffice : jeu de "
            "caractères Unicode (UTF-8)) puis vérifiez les accents de ces lignes",
            'save the file again as UTF-8 (Excel: "CSV UTF-8"; LibreOffice: character set '
            "Unicode (UTF-8)) and check the accents of these lines",
        ),
        "reading",
    ),
    Kind(
        "control-character", "error", ("Caractère de contrôle", "Control character"),
        _control,
        (
            "supprimez ce caractère invisible (souvent laissé par un copier-coller ou un "
            "export abîmé)",
            "remove this invisible character (often left by a copy-paste or a damaged export)",
        ),
        "reading",
    ),
    Kind(
        "replacement-character", "warning", ("Caractère illisible", "Unreadable character"),
        _replacement,
        (
            "retapez la lettre perdue (souvent accentuée) dans le fichier d'origine, puis "
            "enregistrez-le en UTF-8",
            "type the lost letter (often accented) again in the original file, then save it "
            "as UTF-8",
        ),
        "reading",
    ),
    Kind(
        "cell-too-long", "error", ("Cellule trop longue", "Cell too long"),
        _too_long,
        (
            "une cellule aussi longue vient souvent d'un guillemet non fermé qui avale les "
            "lignes suivantes : vérifiez les guillemets de cette ligne",
            "such a long cell usually comes from an unclosed quote swallowing the following "
            "lines: check the quotes of this row",
        ),
        "reading",
    ),
    Kind(
        "unclosed-quote", "error", ("Guillemet jamais refermé", "Quote never closed"),
        _unclosed_quote,
        (
            "refermez le guillemet de cette cellule (ou retirez-le), ou doublez-le (\"\") "
            "s'il fait partie du texte",
            "close this cell's quote (or remove it), or double it (\"\") if it is part of "
            "the text",
        ),
        "reading",
    ),
    Kind(
        "number-in-text", "warning", ("Nombre dans une colonne de texte", "Number in a text column"),
        _number,
        (
            "vérifiez la valeur ; dans le tableur, mettez la colonne au format Texte avant de "
            "taper ou coller les valeurs (ou partez du modèle : moisinno template)",
            "check the value; in the spreadsheet, format the column as Text before typing or "
            "pasting the values (or start from the template: moisinno template)",
        ),
        "reading",
    ),
    Kind(
        "merged-cells", "warning", ("Cellules fusionnées", "Merged cells"),
        _merged,
        (
            "défusionnez ces cellules dans le tableur et recopiez la valeur dans chacune",
            "unmerge these cells in the spreadsheet and copy the value into each of them",
        ),
        "reading",
    ),
    Kind(
        "percent-cell", "warning",
        ("Pourcentage du tableur dans un champ numérique", "Spreadsheet percentage in a number field"),
        _percent_cell,
        _percent_cell_hint,
        "reading",
    ),
    Kind(
        "date-in-text", "warning", ("Date dans une colonne de texte", "Date in a text column"),
        _date,
        (
            "vérifiez la valeur ; pour garder le texte tel qu'il s'affiche, mettez la colonne "
            "au format Texte dans le tableur avant de taper ou coller les valeurs",
            "check the value; to keep the text as it is shown, format the column as Text in "
            "the spreadsheet before typing or pasting the values",
        ),
        "reading",
    ),
    Kind(
        "boolean-in-text", "warning",
        ("Valeur logique dans une colonne de texte", "Boolean in a text column"),
        _boolean,
        (
            "vérifiez la valeur ; pour garder le texte tel qu'il est tapé, mettez la colonne "
            "au format Texte dans le tableur avant de taper ou coller les valeurs",
            "check the value; to keep the text as it is typed, format the column as Text in "
            "the spreadsheet before typing or pasting the values",
        ),
        "reading",
    ),
    Kind(
        "scientific-notation", "warning",
        ("Nombre en notation scientifique", "Number in scientific notation"),
        _scientific,
        SCIENTIFIC_HINT,
        "reading",
    ),
    Kind(
        "unusual-digits", "warning",
        ("Nombre écrit avec « _ » ou d'autres chiffres", 'Number written with "_" or other digits'),
        _unusual_digits,
        _unusual_digits_hint,
        "reading",
    ),
    Kind(
        "partial-date", "warning",
        ("Date incomplète", "Incomplete date"),
        _partial_date,
        (
            "écrivez la date entière, jour, mois et année (AAAA-MM-JJ)",
            "write the whole date, day, month and year (YYYY-MM-DD)",
        ),
        "reading",
    ),
    Kind(
        "end-of-day", "warning",
        ("Heure 24:00 (fin de journée)", "Hour 24:00 (end of the day)"),
        _end_of_day,
        _end_of_day_hint,
        "reading",
    ),
    Kind(
        "nonexistent-time", "warning",
        ("Heure qui n'existe pas à Paris", "Time that does not exist in Paris"),
        _clock(paris.SKIPPED),
        _clock_hint,
        "reading",
    ),
    Kind(
        "ambiguous-time", "warning",
        ("Heure qui existe deux fois à Paris", "Time that happens twice in Paris"),
        _clock(paris.REPEATED),
        _clock_hint,
        "reading",
    ),
    Kind(
        "required-spaces", "warning",
        ("Cellule obligatoire faite d'espaces", "Required cell of spaces only"),
        _spaces,
        (
            "écrivez la valeur, ou laissez la cellule vraiment vide si elle n'est pas connue",
            "write the value, or leave the cell truly empty if it is not known",
        ),
        "reading",
    ),
    Kind(
        "padded-year", "warning",
        ("Année complétée par des espaces", "Year padded with spaces"),
        _padded_year,
        (
            "écrivez l'année entière sur quatre chiffres, sans espaces (par exemple 2012)",
            "write the whole year as four digits, without spaces (for example 2012)",
        ),
        "reading",
    ),
    Kind(
        "spaces-row", "warning",
        ("Ligne faite d'espaces", "Row of spaces only"),
        (
            "La ligne ne contient que des espaces : frictionless la lit comme une ligne de "
            "données (ses cellules sont contrôlées), mais « moisinno fix » la retire et la "
            "consolidation l'ignore, comme une ligne vide.",
            "The row holds only spaces: frictionless reads it as a data row (its cells are "
            'checked), but "moisinno fix" removes it and consolidation ignores it, as a '
            "blank row.",
        ),
        (
            "supprimez la ligne, ou écrivez-y ses valeurs",
            "delete the row, or write its values in it",
        ),
        "reading",
    ),
    Kind(
        "excel-separator-line", "warning",
        ("Ligne « sep= » d'Excel", 'Excel "sep=" line'),
        _separator_line,
        (
            "avant de publier le fichier ailleurs, supprimez cette première ligne (moisinno "
            "fix écrit le fichier sans elle)",
            "before publishing the file elsewhere, remove this first line (moisinno fix "
            "writes the file without it)",
        ),
        "reading",
    ),
    Kind(
        "unread-sheets", "warning", ("Autres feuilles non lues", "Other sheets not read"),
        lambda f, lang: UnreadSheets.of(f.params).message(lang) + ".",
        lambda f, lang: UnreadSheets.of(f.params).hint(lang),
        "reading",
    ),
    Kind(
        "hidden-cells", "warning",
        ("Lignes ou colonnes masquées", "Hidden rows or columns"),
        _hidden,
        lambda f, lang: HiddenCells.of(f.params).hint(lang),
        "reading",
    ),
    Kind(
        "formula-error", "warning", ("Erreur de formule", "Formula error"),
        _formula_error,
        _formula_error_hint,
        "reading",
    ),
)  # fmt: skip
