"""How the Norwegian case systems word SSB's codes: SSB's label (the codebook's, or SSB's
verbatim wording where the codebook shortened or corrected it), SSB's older wording, and the
Nynorsk a Nynorsk municipality's system shows (written here for the synthetic set; SSB
publishes Nynorsk for its tables only)."""

from __future__ import annotations

from functools import cache

from nuso.core.harmonise.codebook import Codebook, shipped_codebook

OLD_LIST_DAYS = 14  # how long a unit with the habit keeps the list before a change

NYNORSK: dict[str, dict[str, str]] = {
    "no_melder": {
        "1": "Barnet sjølv", "2": "Mor/far/føresette", "3": "Anna familie",
        "4": "Andre privatpersonar", "5": "Barnevernstenesta", "6": "NAV", "7": "Barnevernsvakt",
        "8": "Politi/lensmann", "9": "Barnehage", "10": "Helsestasjon/skulehelsetenesta",
        "11": "Skule", "12": "PP-tenesta", "13": "Psykisk helsevern for barn og unge",
        "14": "Psykisk helsevern for vaksne", "15": "Lege/sjukehus/tannlege",
        "24": "Lege/sjukehus", "25": "Tannlege", "16": "Familievernkontor",
        "17": "Rustenesta", "18": "Krisesenter", "19": "Asylmottak/UDI",
        "20": "Utekontakt/fritidsklubb", "21": "Frivillige organisasjonar/idrettslag",
        "22": "Andre offentlege instansar", "23": "Anonym",
    },
    "no_saksinnhold": {
        "1": "Foreldra sin somatiske sjukdom", "2": "Foreldra sine psykiske problem/lidingar",
        "3": "Foreldra sitt rusmisbruk", "5": "Foreldra sin kriminalitet",
        "6": "Høg grad av konflikt heime",
        "7": "Vald i heimen/barnet vitne til vald i nære relasjonar",
        "8": "Foreldra si manglande ivaretaking av grunnleggjande og kvardagsleg omsorg for barnet",
        "9": "Barnet utsett for fysisk vald", "10": "Barnet utsett for psykisk vald",
        "11": "Barnet utsett for seksuelle overgrep", "12": "Barnet manglar omsorgsperson",
        "14": "Barnet sine psykiske problem/lidingar", "15": "Barnet sitt rusmisbruk",
        "17": "Barnet sine relasjonsvanskar", "18": "Andre forhold ved foreldra/familien",
        "19": "Andre forhold ved barnet sin situasjon",
        "20": "Foreldra si manglande beskyttelse av barnet",
        "21": "Foreldra si manglande stimulering og regulering av barnet",
        "22": "Foreldra si manglande sensitivitet og kjenslemessige tilgjenge for barnet",
        "23": "Foreldra si manglande oppfølging av barnet sitt behov for barnehage, skule og "
        "pedagogiske tenester",
        "24": "Konflikt mellom foreldre som ikkje bur saman", "25": "Barnet si åtferd",
        "26": "Barnet sine kriminelle handlingar", "27": "Barnet utsett for menneskehandel",
        "28": "Foreldra si manglande oppfølging av barnet sitt behov for helsetenester",
        "29": "Foreldra sine kognitive vanskar", "30": "Barnet sine kognitive vanskar",
        "31": "Foreldre har varige økonomiske problem/varig låginntekt",
        "32": "Barnet er utsett for negativ sosial kontroll",
        "1.1.02": "Psykisk helse og utvikling", "1.2.03": "Trivsel i barnehage og skule",
        "1.3.08": "Åtferd", "2.1.02": "Basal og praktisk omsorg",
        "2.4.02": "Vern mot å vere vitne til vald i familien", "2.4.05": "Vern mot vald",
        "2.4.07": "Vern mot seksuelle overgrep og seksuell utnytting",
        "3.1.03": "Foreldra sine psykiske problem/lidingar",
        "3.1.08": "Foreldre med rusrelaterte utfordringar",
    },
    "no_melding_konklusjon": {
        "1": "Henlagd", "2": "Ikkje henlagd – undersøking starta",
        "3": "Henlagd på grunn av aktive tiltak", "4": "Melding i pågåande undersøking",
        "5": "Henlagd som følgje av flytting til utlandet",
        "6": "Henlagd som følgje av flytting til ukjend stad",
        "7": "Overført til anna teneste som følgje av flytting til anna kommune",
        "8": "Overført til anna etat", "9": "Henlagd på grunn av anna lov",
        "10": "Henlagd av andre grunnar",
    },
    "no_undersokelse_konklusjon": {
        "1": "Barnevernstenesta gjer vedtak om tiltak",
        "2": "Begjæring om tiltak for barneverns- og helsenemnda",
        "3": "Undersøkinga henlagd etter vurderinga til barnevernstenesta",
        "4": "Henlagd etter ønske frå partane", "5": "Henlagd som følgje av flytting",
        "6": "Undersøkinga henlagd etter tilvising til anna instans",
    },
}  # fmt: skip


# What a caseworker types where the system lets them write the content in their own words
# (Visma's free-text field), by the concept of nuso.core.synth.reports.CONCEPTS; the truth
# is the concept's code in the list of the report's date.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "vitne_vold": ("Barnet har sett vold mellom foreldrene", "Vold mellom mor og far",
                   "Barnet opplever vold i hjemmet"),
    "fysisk_vold": ("Far slår barnet", "Mistanke om fysisk vold mot barnet",
                    "Fysisk avstraffelse"),
    "psykisk_vold": ("Trusler og kjefting mot barnet", "Psykisk vold mot barnet"),
    "seksuelle_overgrep": ("Mistanke om seksuelle overgrep", "Seksuell krenkelse av barnet"),
    "foreldres_rus": ("Mor ruser seg", "Far drikker mye", "Rus hos foreldre",
                      "Foreldre ruspåvirket"),
    "foreldres_psyk": ("Mor har psykiske problemer", "Psykisk sykdom hos far",
                       "Mor er psykisk syk"),
    "grunnleggende_omsorg": ("Mangelfull omsorg", "Omsorgssvikt",
                             "Barnet kommer sulten og skitten til skolen"),
    "konflikt_hjemme": ("Mye krangling hjemme", "Konflikter i familien"),
    "foreldrekonflikt": ("Samværskonflikt", "Høy konflikt mellom foreldrene etter bruddet"),
    "atferd": ("Utagerende atferd", "Rømmer hjemmefra", "Atferdsproblemer"),
    "barnets_krim": ("Ungdommen er anmeldt for tyveri", "Kriminalitet hos ungdommen"),
    "barnets_rus": ("Ungdommen ruser seg", "Hasjbruk", "Beruset ungdom"),
    "barnets_psyk": ("Selvskading", "Barnet er deprimert", "Angst hos barnet"),
    "okonomi": ("Familien har dårlig økonomi",),
    "oppfolging_skole": ("Mye fravær fra skolen",),
}  # fmt: skip


@cache
def codebook() -> Codebook:
    return shipped_codebook()


@cache
def label_of(variable: str, code: str, nynorsk: bool, older: bool) -> str:
    """The wording a system shows for a code."""
    if nynorsk and code in NYNORSK.get(variable, {}):
        return NYNORSK[variable][code]
    entry = codebook().variables[variable].code(code)
    terms = entry.attributes.get("terms") or {}
    if older and terms.get("ssb_kodelister_eldre"):
        return str(terms["ssb_kodelister_eldre"][0])
    verbatim = [str(t) for t in terms.get("ssb_kodelister", ()) if len(str(t)) <= 90]
    return verbatim[0] if verbatim else entry.label
