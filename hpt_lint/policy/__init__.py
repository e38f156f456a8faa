"""Team policies as data: YAML policy files, built-in packs, worst-case cost.

``model`` loads and validates policy files (``schemas/policy.schema.json``),
``paths`` resolves policy paths in a request, ``conditions`` evaluates the
operators, ``computed`` derives the ``@`` values (worst-case cost), ``packs``
loads the built-in packs in ``rules/packs/`` and ``rules`` turns policies into
engine rules for one Config.
"""
