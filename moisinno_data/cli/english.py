"""The help of ``moisinno`` in English (``--lang en``): one table, applied to a built parser.

Our help texts are written in French where each option is declared (a command's
``configure``, :mod:`.options`), so that the French ``--help`` reads as the code does.
:data:`ENGLISH` maps each of them, word for word, to its English counterpart, and
:func:`translate` swaps them in a parser built for ``--lang en``, before anything is
formatted: descriptions, epilogs, each argument's and sub-command's help, metavars
(which also appear in usage lines and in argparse's error messages), group titles.

A text missing from the table stays French (``--help`` never fails for it), but
``tests/test_cli_help.py`` walks every parser with :func:`slots` and fails on any French
text the table lacks, or on an entry no parser uses any more: change a help text, change
its line here. Argparse's own words ("usage:", "show this help message and exit") are not
here: :func:`.options.speak` translates them. This module is imported only under
``--lang en``: the French start-up does not pay for it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Final

ENGLISH: Final[dict[str, str]] = {
    # moisinno (the top-level parser) and the one-line help of each command (cli.COMMANDS)
    "Données ouvertes du Mois de l'innovation publique : schémas, validation, consolidation, "
    "versions et publication.": "Open data of the Mois de l'innovation publique (public "
    "innovation month): schemas, validation, consolidation, versions and publication.",
    "Aide d'une commande : moisinno COMMANDE --help": "Help on a command: moisinno COMMAND --help",
    "COMMANDE": "COMMAND",
    "afficher la version et quitter": "show the version and exit",
    "créer un paquet de données pour un ou plusieurs Table Schemas": (
        "create a data package for one or more Table Schemas"
    ),
    "lister les schémas de tables du paquet de données": (
        "list the table schemas of the data package"
    ),
    "générer la documentation des schémas (documentation.md)": (
        "generate the documentation of the schemas (documentation.md)"
    ),
    "valider des fichiers (CSV, XLSX, ODS) contre un schéma": (
        "validate files (CSV, XLSX, ODS) against a schema"
    ),
    "produire le modèle Excel d'une table": "produce the Excel template of a table",
    "mettre un fichier sous forme canonique en listant chaque changement": (
        "put a file in canonical form, listing every change"
    ),
    "fusionner des contributions dans datasets/": "merge contributions into datasets/",
    "comparer deux versions publiées": "compare two published versions",
    "publier une nouvelle version dans le dépôt local": "cut a new version into the local store",
    "publier une version sur un portail (dossier local, data.gouv.fr)": (
        "publish a version to a portal (local folder, data.gouv.fr)"
    ),
    "lister les versions disponibles": "list the available versions",
    "résumer le contenu d'une version": "summarise what a version contains",
    "produire une page HTML de synthèse avec graphiques": (
        "produce an HTML summary page with charts"
    ),
    "lancer la page web de validation": "start the validation web page",
    "dérouler toute la chaîne sur une copie, avec des contributions fictives": (
        "run the whole chain on a copy, with made-up contributions"
    ),
    # shared options (cli/options.py)
    "paquet de données à utiliser (défaut : le dossier courant ou un parent qui contient "
    "datapackage.json ; sinon la variable MOISINNO_ROOT)": "data package to use (default: the "
    "current folder or a parent that holds datapackage.json; otherwise the MOISINNO_ROOT "
    "variable)",
    "langue des messages (défaut : fr)": "language of the messages (default: fr)",
    "format de sortie (défaut : text)": "output format (default: text)",
    "raccourci de --format json": "short for --format json",
    "remplacer le fichier de sortie s'il existe déjà (jamais un fichier d'entrée)": (
        "replace the output file if it already exists (never an input file)"
    ),
    "feuille d'un classeur XLSX, ODS (par défaut la première visible)": (
        "sheet of an XLSX or ODS workbook (by default the first visible one)"
    ),
    "DOSSIER": "DIR",
    "NOM|CHEMIN": "NAME|PATH",
    "FEUILLE": "SHEET",
    "N": "N",
    # init
    "dossier du nouveau paquet (neuf ou vide)": "folder of the new package (new or empty)",
    "Table Schema d'une table (fichier ou adresse http(s)) ; répétez pour plusieurs": (
        "Table Schema of a table (file or http(s) address); repeat for several"
    ),
    "CHEMIN|URL": "PATH|URL",
    "titre du jeu de données": "title of the dataset",
    "licence des données (défaut : etalab-2.0, la Licence Ouverte 2.0)": (
        "licence of the data (default: etalab-2.0, the Licence Ouverte 2.0)"
    ),
    "organisation qui publie les données": "organisation that publishes the data",
    # docs
    "ne rien écrire ; échouer (code 1) si une documentation n'est pas à jour, "
    "(code 2) si « spatial » ou « catalogSchema » de datapackage.json serait refusé": (
        "write nothing; fail (code 1) if a documentation is out of date, (code 2) if "
        "datapackage.json's “spatial” or “catalogSchema” would be refused"
    ),
    # validate
    "CSV, XLSX ou ODS à valider": "CSV, XLSX or ODS to validate",
    "FICHIER": "FILE",
    "table du paquet de données (« moisinno schemas » les liste) ou chemin d'un schema.json ; "
    "par défaut, la table dont les colonnes correspondent le mieux à l'en-tête": "table of the "
    'data package ("moisinno schemas" lists them) or path of a schema.json; by default, the '
    "table whose columns best match the header",
    "écrire le rapport dans ce fichier": "write the report to this file",
    "s'arrêter après N erreurs (par défaut : toutes)": "stop after N errors (by default: all)",
    "constats affichés de chaque sorte au plus (défaut : 200 en texte et en HTML ; le JSON "
    "les donne tous)": "findings shown per kind, at most (default: 200 in text and HTML; JSON "
    "lists them all)",
    "ne pas afficher la barre de progression": "do not show the progress bar",
    # template
    "table du paquet de données ou chemin d'un schema.json (facultatif si le paquet n'a "
    "qu'une table)": "table of the data package or path of a schema.json (optional if the "
    "package has only one table)",
    "classeur à écrire": "workbook to write",
    "FICHIER.xlsx": "FILE.xlsx",
    # fix
    "fichier reçu (CSV, XLSX, ODS)": "file received (CSV, XLSX, ODS)",
    "table ou schema.json (par défaut : d'après l'en-tête)": (
        "table or schema.json (by default: from the header)"
    ),
    "fichier corrigé à écrire (jamais le fichier reçu)": (
        "corrected file to write (never the file received)"
    ),
    "FICHIER.csv": "FILE.csv",
    "lire les dates nn/nn/aaaa comme jour/mois (dmy, jma) ou mois/jour (mdy, mja)": (
        "read nn/nn/yyyy dates as day/month (dmy, jma) or month/day (mdy, mja)"
    ),
    "changements et valeurs à vérifier listés de chaque règle (texte) au plus (défaut : 200)": (
        "changes and values to check listed per rule (text), at most (default: 200)"
    ),
    # consolidate
    "contributions (CSV, XLSX, ODS ; 11 millions de cellules au plus par lot)": (
        "contributions (CSV, XLSX, ODS; 11 million cells at most per batch)"
    ),
    "table visée (par défaut : d'après l'en-tête)": "target table (by default: from the header)",
    "feuille à lire dans chaque classeur XLSX, ODS donné (par défaut la première visible)": (
        "sheet to read in each XLSX or ODS workbook given (by default the first visible one)"
    ),
    "qui envoie ces fichiers (noté dans le journal privé prive/journal.csv, jamais publié)": (
        "who sends these files (noted in the private log prive/journal.csv, never published)"
    ),
    "NOM": "NAME",
    "tout calculer, ne rien écrire": "compute everything, write nothing",
    "où écrire les lignes rejetées (par défaut prive/rejets/)": (
        "where to write the rejected rows (by default prive/rejets/)"
    ),
    "date de réception (défaut : aujourd'hui)": "date of receipt (default: today)",
    "AAAA-MM-JJ": "YYYY-MM-DD",
    "lignes détaillées par fichier (texte) au plus (défaut : 50)": (
        "rows detailed per file (text), at most (default: 50)"
    ),
    # diff
    "archive, dossier ou numéro de version": "archive, folder or version number",
    "ANCIENNE": "OLD",
    "NOUVELLE": "NEW",
    "lignes détaillées (texte) au plus (défaut : 200)": (
        "rows detailed (text), at most (default: 200)"
    ),
    # release
    "niveau de version (auto : d'après les différences avec la version précédente)": (
        "version level (auto: from the differences with the previous version)"
    ),
    # publish
    "portail : dossier local (défaut) ou data.gouv.fr / tout serveur udata": (
        "portal: local folder (default) or data.gouv.fr / any udata server"
    ),
    "adresse du portail (défaut https://www.data.gouv.fr ; démo : https://demo.data.gouv.fr) "
    "ou, pour --target local, le dossier (défaut portail/)": "address of the portal (default "
    "https://www.data.gouv.fr; demo: https://demo.data.gouv.fr) or, for --target local, the "
    "folder (default portail/)",
    "identifiant ou slug du jeu de données existant": "id or slug of the existing dataset",
    "identifiant de l'organisation éditrice": "id of the publishing organisation",
    "version X.Y.Z à publier (défaut : la plus récente)": (
        "version X.Y.Z to publish (default: the most recent)"
    ),
    "X.Y.Z": "X.Y.Z",
    "afficher le plan sans rien modifier": "show the plan without changing anything",
    "fichier contenant la clé d'API (sinon la variable DATAGOUV_API_KEY)": (
        "file holding the API key (otherwise the DATAGOUV_API_KEY variable)"
    ),
    "accepter une adresse http:// vers un autre serveur que cette machine (la clé d'API y "
    "circule en clair)": "accept an http:// address to a server other than this machine "
    "(the API key travels over it unencrypted)",
    "publier (ou garder) le jeu de données privé": "publish (or keep) the dataset private",
    "publier une version plus ancienne que la plus récente déjà publiée (ses fichiers à "
    "adresse stable remplacent alors ceux de la plus récente)": "publish a version older than "
    "the most recent one already published (its files at stable addresses then replace the "
    "most recent one's)",
    # versions, info, overview
    "lister les versions publiées à cet endroit : jeu de données udata "
    "(https://www.data.gouv.fr/fr/datasets/…), dépôt de versions (URL ou dossier)": "list "
    "the versions published at this place: udata dataset "
    "(https://www.data.gouv.fr/fr/datasets/…), release store (URL or folder)",
    "URL_OU_DOSSIER": "URL_OR_DIR",
    "version à résumer (défaut : l'état actuel du paquet de données)": (
        "version to summarise (default: the current state of the data package)"
    ),
    "où trouver la version : jeu de données udata, dépôt de versions, archive": (
        "where to find the version: udata dataset, release store, archive"
    ),
    "page HTML à écrire": "HTML page to write",
    "FICHIER.html": "FILE.html",
    "version à représenter (défaut : l'état actuel du paquet de données)": (
        "version to chart (default: the current state of the data package)"
    ),
    # serve
    "adresse d'écoute (défaut 127.0.0.1 : cette machine seulement ; 0.0.0.0 ouvre la page au "
    "réseau)": "address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 opens "
    "the page to the network)",
    "port (défaut 8000 ; 0 : un port libre)": "port (default 8000; 0: a free port)",
    "taille maximale d'un fichier envoyé, en Mo (défaut 50)": (
        "largest file accepted, in MB (default 50)"
    ),
    "MO": "MB",
    "durée maximale de lecture d'un fichier envoyé, en secondes (défaut 60) ; au-delà, le "
    "fichier est refusé": "longest time spent reading a file sent, in seconds (default 60); "
    "beyond it, the file is refused",
    "S": "S",
    # demo
    "dossier de travail (défaut : ./demo/, remplacé à chaque démo)": (
        "working folder (default: ./demo/, replaced at each demo)"
    ),
    "s'arrêter après la version": "stop after the release",
}
"""Each French help text of ours → its English text (identical when the word is both, as
``N``). Keyed by the whole text as the parser holds it, composed parts included
(``--max``'s "… au plus (défaut : 50)"): what is looked up is exactly what is shown."""

Slot = tuple[object, str]
"""An object of a parser (the parser, an action, a group) and the name of one of its
attributes that holds a text shown by ``--help``."""


def slots(parser: argparse.ArgumentParser) -> Iterator[Slot]:
    """Every place ``parser`` keeps a text it shows, its sub-commands' parsers included.

    A sub-command's line in the list of commands is its pseudo-action's ``help`` (its
    ``metavar`` is the command's name, never translated). Slots holding None or
    ``argparse.SUPPRESS`` are skipped: nothing of them is shown.
    """
    candidates: list[Slot] = [(parser, "description"), (parser, "epilog")]
    candidates += [(group, "title") for group in parser._action_groups]
    candidates += [(group, "description") for group in parser._action_groups]
    for action in parser._actions:
        candidates += [(action, "help"), (action, "metavar")]
    for slot in candidates:
        value = getattr(*slot)
        if value is not None and value != argparse.SUPPRESS:
            yield slot
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from ((choice, "help") for choice in action._choices_actions if choice.help)
            for sub in dict.fromkeys(action.choices.values()):  # aliases share a parser
                yield from slots(sub)


def english(value: str | tuple[str, ...]) -> str | tuple[str, ...]:
    """``value`` in English when the table has it (each part of a tuple metavar), as is
    otherwise: argparse's own words, already English under ``--lang en``."""
    if isinstance(value, tuple):
        return tuple(ENGLISH.get(part, part) for part in value)
    return ENGLISH.get(value, value)


def translate(parser: argparse.ArgumentParser) -> None:
    """Put ``parser``'s texts in English, in place, before its help or usage is formatted."""
    for owner, attribute in slots(parser):
        setattr(owner, attribute, english(getattr(owner, attribute)))
