"""The publisher's chain: fix a contribution, consolidate it into ``datasets/``, cut a
version (versioning rules, diff, release store), all of it crash-safe through one
transaction mechanism.

Data flows one way here: fix → consolidate → release; portals then publish what the
store holds.
"""
