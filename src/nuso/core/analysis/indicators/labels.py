"""The codes and labels of everything a table can be broken down by: the study's variables
(from the codebook or their own categories), its derived variables, and the unit's
comparison groups, in codebook order."""

from __future__ import annotations

from nuso.core.harmonise.codebook import Codebook
from nuso.core.harmonise.dictionary import StudyDictionary
from nuso.core.units import SIZE_BANDS, SKR_GROUPS

BOOLEAN_LABELS = {"ja": "Ja", "nej": "Nej"}


def dimension_labels(dictionary: StudyDictionary, codebook: Codebook) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {
        "storleksgrupp": {band.code: band.label for band in SIZE_BANDS},
        "kommungrupp": {code: f"{code} {name}" for code, name in SKR_GROUPS.items()},
    }
    for variable in dictionary.variables:
        if variable.codebook:
            codes = codebook.variables[variable.codebook].codes
            labels[variable.name] = {code.code: code.label for code in codes}
        elif variable.categories:
            labels[variable.name] = dict(variable.categories)
        elif variable.type == "boolean":
            labels[variable.name] = dict(BOOLEAN_LABELS)
        elif variable.type == "integer" and variable.min is not None and variable.max is not None:
            unit = f" {variable.unit}" if variable.unit else ""
            labels[variable.name] = {
                str(n): f"{n}{unit}" for n in range(variable.min, variable.max + 1)
            }
    for derived in dictionary.derived:
        if derived.codebook:
            codes = codebook.variables[derived.codebook].codes
            labels[derived.name] = {code.code: code.label for code in codes}
    for computed in dictionary.computed:
        labels[computed.name] = computed.labels(labels.get(computed.sources[0], {}))
    return labels
