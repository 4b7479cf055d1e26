"""The data package itself: where it lives, its Table Schemas and ``datapackage.json``,
the canonical CSV form, and what is generated from the schemas (documentation, Excel
template, citation).

The lowest stage of the pipeline: every other stage reads the package through this one,
and this one imports none of them.
"""
