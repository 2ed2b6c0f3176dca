"""A small version of the unit's table of treatments by tumour site and grade, for the
treatment tests that share it (made once per module: ``module_transaction`` in
tests/conftest.py), and reading the treatments list."""

from tests import factories
from tests.html import soup, text_of
from treatments.models import TreatmentType


def make_options():
    """A small version of the unit's "treatment by site and grade"."""
    pancreas = factories.make_site("Pancreas", order=2)
    small_bowel = factories.make_site("Small bowel", order=1)
    ssa = factories.make_treatment(
        "Somatostatin analogues",
        type_name="Somatostatin analogues",
        other_names="SSA\nSSAs\nsomatostatin analog",
    )
    everolimus = factories.make_treatment("Everolimus", type_name="Targeted therapy")
    sunitinib = factories.make_treatment("Sunitinib", type_name="Targeted therapy")
    captem = factories.make_treatment(
        "Capecitabine and temozolomide", type_name="Chemotherapy", other_names="CAPTEM"
    )
    platinum = factories.make_treatment("Platinum and etoposide", type_name="Chemotherapy")
    prrt = factories.make_treatment("PRRT", type_name="PRRT", other_names="radioligand therapy")
    for site in (pancreas, small_bowel):
        factories.make_use(ssa, site, ("g1", "g2"), use="licensed")
        factories.make_use(everolimus, site, ("g1", "g2"), use="licensed")
        factories.make_use(platinum, site, ("nec",))
    factories.make_use(sunitinib, pancreas, ("g1", "g2"), use="licensed", note="Funded by the NHS")
    factories.make_use(captem, pancreas, ("g2", "g3"))
    factories.make_use(prrt, small_bowel, ("g1", "g2"), use="licensed")
    factories.make_use(prrt, pancreas, ("g3",), use="trial_only")
    for order, name in enumerate(("Somatostatin analogues", "Targeted therapy", "Chemotherapy")):
        TreatmentType.objects.filter(name=name).update(order=order + 1)
    TreatmentType.objects.filter(name="PRRT").update(order=5)
    factories.make_drug("lutetium-177 dotatate", "Lutathera", [prrt])
    factories.make_drug("lanreotide", "Somatuline Autogel", [ssa])
    factories.make_drug("sunitinib", "Sutent", [sunitinib])
    return {
        "pancreas": pancreas,
        "small_bowel": small_bowel,
        "ssa": ssa,
        "everolimus": everolimus,
        "sunitinib": sunitinib,
        "captem": captem,
        "platinum": platinum,
        "prrt": prrt,
    }


def names_listed(response):
    """The treatment names on the list page, in page order."""
    return [text_of(h) for h in soup(response).select(".app-card__heading")]
