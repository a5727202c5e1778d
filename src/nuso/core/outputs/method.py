"""What the intervals, the tests and the disclosure control mean, in plain Swedish for
municipal managers: the method slide of every deck and the method sheet of every tables
workbook say the same (the full account is docs/statistics.md)."""

from __future__ import annotations

from nuso.core.analysis.indicators.guidance import MIN_COMPARABLE


def method_text(min_count: int | None) -> tuple[str, ...]:
    protection = (
        f"Antal under {min_count} visas inte (undertryckt), och inte heller en andel på 100 % "
        "eller 0 % som skulle avslöja alla i en grupp. Några ytterligare celler döljs så att "
        "de dolda inte kan räknas fram ur summor eller andra tabeller."
        if min_count
        else "Tabellerna är ej röjandeskyddade: de är bara för NUSO:s analytiker."
    )
    return (
        "Andelar visas med 95 % konfidensintervall (Wilson): med 95 % säkerhet ligger den "
        "verkliga andelen inom intervallet. Ett litet antal ger ett brett intervall.",
        "En skillnad mot jämförelsegruppen eller riket kallas statistiskt säkerställd när den "
        "är för stor för att rimligen bero på slumpen: p under 0,05 efter "
        "Benjamini–Hochbergs korrigering för att många skillnader prövas samtidigt.",
        "Bara säkerställda skillnader beskrivs som högre eller lägre. Att en skillnad inte är "
        "säkerställd betyder inte att det inte finns någon skillnad, bara att underlaget inte "
        "räcker för att visa den.",
        "Jämförelsegruppen (kommungruppen enligt SKR 2023, eller kommunerna av samma storlek) "
        "räknas utan den egna enheten; riket prövas mot resten av landet. Celler med färre "
        f"än {MIN_COMPARABLE} poster prövas inte.",
        protection,
    )
