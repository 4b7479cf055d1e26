from moisinno_data.cli import entry

entry()
