"""The demo's synthetic population of the Puskesmas Maninjau working area (issue #3).

`generate` makes families and persons as pure data (pyramid, households, identities, events); `load` writes
them through bulk registration and the register's services; `csvfile` writes the same rows as an import file.
"""

from ilp.demo.population.csvfile import HEADER, villages_from_codes, write_population_csv
from ilp.demo.population.generate import PosyanduSpec, SynthFamily, SynthPerson, VillageSpec, generate_population

__all__ = [
    "HEADER",
    "PosyanduSpec",
    "SynthFamily",
    "SynthPerson",
    "VillageSpec",
    "generate_population",
    "villages_from_codes",
    "write_population_csv",
]
