"""A survey's responses exported: one table — a row per response, a column per variable — and
the CSV, Excel and SPSS files made from it. Its modules, each imported by its own name (nothing
is re-exported here):

- :mod:`.table`: the table and its variables (SPSS names, labels, missing values, the meta
  columns), built from the released answers by :func:`~.table.build_table`;
- :mod:`.rules`: the disclosure rules the table applies — the minimum group size, the
  quasi-identifiers and segments kept k-anonymous, free texts only above the verbatim threshold,
  a row order that says nothing of the order of answering — and :class:`~.rules.ExportRefused`;
- :mod:`.formats`: the files — CSV, Excel and SPSS (written by :mod:`phare.listening.spss`) —,
  their content types and names.

``formats`` builds on ``table``, which applies ``rules``; ``rules`` knows neither.
"""
