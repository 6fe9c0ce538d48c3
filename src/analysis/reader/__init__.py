"""The claim reader: a Dutch or English sentence -> ranked candidate registry entries (rule-based, offline).

``python -m analysis propose "<sentence>"`` (docs/propose.md). The modules, in the order a sentence
passes them: :mod:`.text` (normalised words with their positions), :mod:`.vocab` (regions, sectors,
institutions from the processed data plus everyday names), :mod:`.numbers` (numbers, number words,
hedges -> a claimed interval), :mod:`.periods` (years and spans of time), :mod:`.comparisons`
(comparators, extremes, direction, the statistic), :mod:`.candidates` (the ranked readings),
:mod:`.entry` (a reading -> a registry entry, checked by the engine), :mod:`.toml_writer` (escaped,
validated, atomic writes) and :mod:`.cli`.
"""

from analysis.reader.candidates import Reading, read_sentence

__all__ = ["Reading", "read_sentence"]
