"""The words of the tables people read, in each language: the Excel workbook's headings,
levels, notes and method sheet, and the method slide of every deck (Swedish, English, bokmål).

nuso.core knows no Django: a writer takes the words of its tables' language (`words_for`,
from `TableSet.language`), as the portal hands core the guidance's and charts' words. What
depends on the country (the nation's name, its comparison groups, what a county is called)
is keyed by the country (`nuso.core.countries`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nuso.core.countries import NORWAY, SWEDEN


@dataclass(frozen=True)
class TableWords:
    language: str  # its code, as Django's LANGUAGES has it
    headings: Mapping[str, str]  # a table column's heading
    levels: Mapping[str, Mapping[str, str]]  # country -> level ("kommun", "lan", …) -> label
    nation_in_text: Mapping[str, str]  # country -> the nation within a sentence
    yes: str
    no: str
    unprotected: str  # after a sheet's title, for analysts' unsuppressed tables
    protected: str  # {mark}, {min_count}
    count_format: str  # Excel's number format for counts
    method_title: str
    method: tuple[str, ...]  # the method's paragraphs; {nation}
    comparison: Mapping[str, str]  # country -> what the comparison group is; {min_comparable}
    protection: str  # {min_count}
    no_protection: str

    def level(self, level: str, country: str) -> str:
        """A level's label for a country's tables ('Län', 'Fylke', 'Riket', 'Norge')."""
        return self.levels.get(country, self.levels[SWEDEN]).get(level, level)


SWEDISH = TableWords(
    language="sv",
    headings={
        "tabell": "Tabell", "niva": "Nivå", "enhet": "Enhet", "namn": "Namn", "period": "Period",
        "steg": "Steg", "faktor": "Faktor", "antal": "Antal", "total": "Totalt", "andel": "Andel",
        "ki_lag": "95 % KI, lägre", "ki_hog": "95 % KI, övre", "jamforelse": "Jämförs med",
        "p_varde": "p-värde (justerat)", "signifikant": "Statistiskt säkerställd",
        "undertryckt": "Undertryckt", "vagledning": "Vägledning", "oddskvot": "Oddskvot",
    },
    levels={
        SWEDEN: {"kommun": "Kommun/stadsdel", "kommungrupp": "Kommungrupp",
                 "storleksgrupp": "Kommunstorlek", "lan": "Län", "riket": "Riket"},
        NORWAY: {"kommun": "Kommun", "storleksgrupp": "Kommunstorlek", "lan": "Fylke",
                 "riket": "Norge"},
    },
    nation_in_text={SWEDEN: "riket", NORWAY: "Norge"},
    yes="Ja",
    no="Nej",
    unprotected="  (ej undertryckt: endast för analytiker)",
    protected="  ({mark} = undertryckt: färre än {min_count} eller skyddar ett sådant värde)",
    count_format="# ##0",
    method_title="Om metoden",
    method=(
        "Andelar visas med 95 % konfidensintervall (Wilson): med 95 % säkerhet ligger den "
        "verkliga andelen inom intervallet. Ett litet antal ger ett brett intervall.",
        "En skillnad mot jämförelsegruppen eller {nation} kallas statistiskt säkerställd när "
        "den är för stor för att rimligen bero på slumpen: p under 0,05 efter "
        "Benjamini–Hochbergs korrigering för att många skillnader prövas samtidigt.",
        "Bara säkerställda skillnader beskrivs som högre eller lägre. Att en skillnad inte är "
        "säkerställd betyder inte att det inte finns någon skillnad, bara att underlaget inte "
        "räcker för att visa den.",
    ),
    comparison={
        SWEDEN: "Jämförelsegruppen (kommungruppen enligt SKR 2023, eller kommunerna av samma "
        "storlek) räknas utan den egna enheten; riket prövas mot resten av landet. Celler med "
        "färre än {min_comparable} poster prövas inte.",
        NORWAY: "Jämförelsegruppen (fylket, eller kommunerna av samma storlek) räknas utan den "
        "egna enheten; skillnaden mot Norge prövas mot resten av landet. Celler med färre än "
        "{min_comparable} poster prövas inte.",
    },
    protection="Antal under {min_count} visas inte (undertryckt), och inte heller en andel på "
    "100 % eller 0 % som skulle avslöja alla i en grupp. Några ytterligare celler döljs så att "
    "de dolda inte kan räknas fram ur summor eller andra tabeller.",
    no_protection="Tabellerna är ej röjandeskyddade: de är bara för NUSO:s analytiker.",
)  # fmt: skip

ENGLISH = TableWords(
    language="en",
    headings={
        "tabell": "Table", "niva": "Level", "enhet": "Unit", "namn": "Name", "period": "Period",
        "steg": "Step", "faktor": "Factor", "antal": "Count", "total": "Total", "andel": "Share",
        "ki_lag": "95% CI, lower", "ki_hog": "95% CI, upper", "jamforelse": "Compared with",
        "p_varde": "p-value (adjusted)", "signifikant": "Statistically significant",
        "undertryckt": "Suppressed", "vagledning": "Guidance", "oddskvot": "Odds ratio",
    },
    levels={
        SWEDEN: {"kommun": "Municipality/district", "kommungrupp": "Municipality group",
                 "storleksgrupp": "Municipality size", "lan": "County", "riket": "Sweden"},
        NORWAY: {"kommun": "Municipality", "storleksgrupp": "Municipality size",
                 "lan": "County (fylke)", "riket": "Norway"},
    },
    nation_in_text={SWEDEN: "Sweden", NORWAY: "Norway"},
    yes="Yes",
    no="No",
    unprotected="  (not suppressed: for analysts only)",
    protected="  ({mark} = suppressed: fewer than {min_count}, or protects such a value)",
    count_format="#,##0",
    method_title="About the method",
    method=(
        "Shares are shown with 95% confidence intervals (Wilson): with 95% certainty the true "
        "share lies within the interval. A small number gives a wide interval.",
        "A difference from the comparison group or {nation} is called statistically "
        "significant when it is too large to be plausibly due to chance: p below 0.05 after "
        "the Benjamini–Hochberg correction for testing many differences at once.",
        "Only significant differences are described as higher or lower. A difference that is "
        "not significant does not mean that there is no difference, only that the data are "
        "not enough to show it.",
    ),
    comparison={
        SWEDEN: "The comparison group (the municipality group of SKR 2023, or the "
        "municipalities of the same size) is counted without the unit itself; the difference "
        "from Sweden is tested against the rest of the country. Cells with fewer than "
        "{min_comparable} records are not tested.",
        NORWAY: "The comparison group (the county, or the municipalities of the same size) is "
        "counted without the unit itself; the difference from Norway is tested against the "
        "rest of the country. Cells with fewer than {min_comparable} records are not tested.",
    },
    protection="Counts below {min_count} are not shown (suppressed), nor is a share of 100% or "
    "0% that would disclose everyone in a group. Some further cells are hidden so that the "
    "hidden ones cannot be worked out from totals or other tables.",
    no_protection="The tables are not disclosure-controlled: they are for NUSO's analysts only.",
)  # fmt: skip

NORWEGIAN = TableWords(
    language="nb",
    headings={
        "tabell": "Tabell", "niva": "Nivå", "enhet": "Enhet", "namn": "Navn",
        "period": "Periode", "steg": "Steg", "faktor": "Faktor", "antal": "Antall",
        "total": "Totalt", "andel": "Andel", "ki_lag": "95 % KI, nedre", "ki_hog": "95 % KI, øvre",
        "jamforelse": "Sammenlignet med", "p_varde": "p-verdi (justert)",
        "signifikant": "Statistisk signifikant", "undertryckt": "Skjult",
        "vagledning": "Veiledning", "oddskvot": "Oddsratio",
    },
    levels={
        SWEDEN: {"kommun": "Kommune/bydel", "kommungrupp": "Kommunegruppe",
                 "storleksgrupp": "Kommunestørrelse", "lan": "Len", "riket": "Hele landet"},
        NORWAY: {"kommun": "Kommune", "storleksgrupp": "Kommunestørrelse", "lan": "Fylke",
                 "riket": "Norge"},
    },
    nation_in_text={SWEDEN: "hele landet", NORWAY: "Norge"},
    yes="Ja",
    no="Nei",
    unprotected="  (ikke skjermet: bare for analytikere)",
    protected="  ({mark} = skjult: færre enn {min_count}, eller skjermer en slik verdi)",
    count_format="# ##0",
    method_title="Om metoden",
    method=(
        "Andeler vises med 95 % konfidensintervall (Wilson): med 95 % sikkerhet ligger den "
        "virkelige andelen innenfor intervallet. Et lite antall gir et bredt intervall.",
        "En forskjell fra sammenligningsgruppen eller {nation} kalles statistisk signifikant "
        "når den er for stor til at den rimeligvis kan skyldes tilfeldigheter: p under 0,05 "
        "etter Benjamini–Hochbergs korreksjon for at mange forskjeller testes samtidig.",
        "Bare signifikante forskjeller beskrives som høyere eller lavere. At en forskjell ikke "
        "er signifikant, betyr ikke at det ikke finnes noen forskjell, bare at grunnlaget ikke "
        "er stort nok til å vise den.",
    ),
    comparison={
        SWEDEN: "Sammenligningsgruppen (kommunegruppen etter SKR 2023, eller kommunene av samme "
        "størrelse) regnes uten enheten selv; forskjellen fra hele landet testes mot resten av "
        "landet. Celler med færre enn {min_comparable} poster testes ikke.",
        NORWAY: "Sammenligningsgruppen (fylket, eller kommunene av samme størrelse) regnes uten "
        "enheten selv; forskjellen fra Norge testes mot resten av landet. Celler med færre enn "
        "{min_comparable} poster testes ikke.",
    },
    protection="Antall under {min_count} vises ikke (skjult), heller ikke en andel på 100 % "
    "eller 0 % som ville avsløre alle i en gruppe. Noen flere celler skjules slik at de skjulte "
    "ikke kan regnes ut fra summer eller andre tabeller.",
    no_protection="Tabellene er ikke skjermet: de er bare for NUSOs analytikere.",
)  # fmt: skip

LANGUAGES = {words.language: words for words in (SWEDISH, ENGLISH, NORWEGIAN)}


def words_for(language: str) -> TableWords:
    """The words of a language code ("sv", "en", "nb", or a regional variant "en-gb");
    Swedish for any other."""
    return LANGUAGES.get(language.lower().split("-")[0], SWEDISH)
