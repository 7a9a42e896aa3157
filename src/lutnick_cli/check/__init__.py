"""`lutnick check`: a bibliography linter that works offline.

Each family of rules has its module; `rules.RULES` is the one table of every
rule (id, name, level, what it finds). `run` reads records through a Batch with
the loader's problems collected, turns each into a finding under the rule it
belongs to (so nothing the loader noticed is printed twice or lost), applies
the per-record rules as records stream past, and the bibliography-wide rules
(duplicates, spellings) once at the end, over indexes built in one pass.
"""
