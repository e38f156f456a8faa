"""The rule checks. Every module here is imported by the engine; each ``Rule``
subclass with an ``id`` registers itself. Modules are grouped by RULES.md section:
``input`` (HPT0xx), ``structure`` (HPT1xx), ``names`` (HPT2xx), ``ranges`` (HPT3xx),
``strategy`` (HPT4xx), ``resources`` (HPT5xx), ``secrets`` (HPT6xx), ``tags`` (HPT7xx).
"""
